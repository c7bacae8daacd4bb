"""Tab contents: one panel per tab."""
