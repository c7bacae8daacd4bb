"""Full screens pushed over the tabs (the grievance case view)."""
