"""CSV member import: the bad-CSV corpus of docs/RELIABILITY.md, matching and merging, all or nothing.

Every corpus file is generated here as bytes (so the encodings and line ends are exact).
Each bad case asserts the message names the line, and that nothing was written.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services import member_import as mi
from strikeboard.services.member_import import CsvProblem, apply_import, preview_import
from strikeboard.services.roster import MemberForm, create_member
from strikeboard.store.db import Store
from strikeboard.store.models import Member

HEADER = "member_number,first_name,last_name,email,phone\r\n"
GOOD = HEADER + "M1,Zoë,Adams,zoe@example.org,(323) 555-0142\r\nM2,Bob,Brown,bob@example.org,213.555.0100\r\n"


def _file(tmp_path: Path, data: bytes | str, name: str = "members.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _count(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Member)) or 0)


def _members(store: Store) -> dict[str, Member]:
    with store.read() as s:
        rows = list(s.execute(select(Member)).scalars())
        for m in rows:
            s.expunge(m)
        return {m.member_number: m for m in rows}


def _apply(store: Store, path: Path, **kw: object) -> mi.ImportPreview:
    with store.write() as s:
        return apply_import(s, path, actor="test", **kw)  # type: ignore[arg-type]


def _problem(store: Store, path: Path, **kw: object) -> str:
    with pytest.raises(CsvProblem) as caught:
        _apply(store, path, **kw)
    assert _count(store) == 0, "a file-level problem must leave the database as it was"
    return str(caught.value)


# --------------------------------------------------------------------------- encodings and dialects


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf-8", GOOD.encode()),
        ("utf-8 BOM", codecs.BOM_UTF8 + GOOD.encode()),
        ("utf-16le tabs", codecs.BOM_UTF16_LE + GOOD.replace(",", "\t").encode("utf-16-le")),
        ("utf-16be tabs", codecs.BOM_UTF16_BE + GOOD.replace(",", "\t").encode("utf-16-be")),
        ("semicolons", GOOD.replace(",", ";").encode()),
        ("pipes", GOOD.replace(",", "|").encode()),
        ("bare CR", GOOD.replace("\r\n", "\r").encode()),
        ("bare LF", GOOD.replace("\r\n", "\n").encode()),
        ("blank trailing rows", (GOOD + "\r\n,,,,\r\n\r\n  \r\n").encode()),
    ],
)
def test_good_dialects_import_the_same(store: Store, tmp_path: Path, name: str, data: bytes) -> None:
    preview = _apply(store, _file(tmp_path, data))
    assert (preview.new, preview.rejected, preview.applied) == (2, (), True), name
    members = _members(store)
    assert members["M1"].first_name == "Zoë"  # a BOM did not corrupt the first header or name
    assert members["M1"].phone == "+13235550142" and members["M2"].phone == "+12135550100"
    assert members["M1"].search_key == "zoe adams"


def test_cp1252_is_refused_naming_the_line_then_works_with_encoding(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, (HEADER + "M1,Zoë,Adams,,\r\nM2,José,Ruiz,,\r\n").encode("cp1252"))
    message = _problem(store, path)
    assert message.startswith("Line 2:") and "cp1252" in message and "latin-1" in message
    for encoding in ("cp1252", "latin-1"):
        with store.read() as s:
            assert preview_import(s, path, encoding=encoding).new == 2
    assert _apply(store, path, encoding="cp1252").applied
    assert _members(store)["M2"].first_name == "José"


def test_invalid_bytes_name_the_right_line(store: Store, tmp_path: Path) -> None:
    body = HEADER + "".join(f"M{i},A{i},B,,\r\n" for i in range(1, 300))
    data = body.encode() + b"M900,Bad\xff\xfeName,X,,\r\n"
    assert _problem(store, _file(tmp_path, data)).startswith("Line 301:")


def test_unknown_encoding(store: Store, tmp_path: Path) -> None:
    assert "Unknown encoding" in _problem(store, _file(tmp_path, GOOD), encoding="klingon")


def test_nul_byte(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, GOOD + "M3,Nu\0l,X,,\r\n"))
    assert message.startswith("Line 4 contains a NUL byte")


def test_utf16_without_bom_is_seen_as_nul_bytes(store: Store, tmp_path: Path) -> None:
    assert "NUL byte" in _problem(store, _file(tmp_path, GOOD.encode("utf-16-le")))


def test_unterminated_quote(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, GOOD + 'M3,"Open,X,,\r\nM4,Dan,Y,,\r\n'))
    assert message.startswith("Line 4:") and "never closed" in message


def test_junk_after_closing_quote(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, GOOD + 'M3,"Ann"junk,X,,\r\n'))
    assert message.startswith("Line 4:") and "closing quote" in message


def test_huge_field(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, GOOD + f'M3,"{"x" * (mi.MAX_FIELD + 10)}",X,,\r\n'))
    assert message.startswith("Line 4:") and "longer than" in message


def test_long_but_legal_field_is_a_row_reject(store: Store, tmp_path: Path) -> None:
    preview = _apply(store, _file(tmp_path, GOOD + f"M3,{'y' * 500},X,,\r\n"))
    assert not preview.applied and _count(store) == 0
    assert [(r.line, r.reason) for r in preview.rejected] == [
        (4, "Keep the first name to 100 characters (it has 500).")
    ]


def test_quoted_newlines_keep_line_numbers(store: Store, tmp_path: Path) -> None:
    data = HEADER.strip() + ',notes\r\nM1,Ann,A,,,"two\r\nlines"\r\nM2,Bob,B,not-an-email,,\r\n'
    preview = _apply(store, _file(tmp_path, data))
    assert [(r.line, r.reason) for r in preview.rejected] == [
        (4, "'not-an-email' is not an email address (like name@example.org).")
    ]
    assert _count(store) == 0
    preview = _apply(store, _file(tmp_path, data), skip_rejected=True)
    assert preview.applied and _members(store)["M1"].notes == "two\r\nlines"


def test_single_column_file_is_missing_required_columns(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, "first_name\r\nAnn\r\nBob\r\n"))
    assert message.startswith("Line 1:") and "member number, email or phone" in message


def test_missing_required_header(store: Store, tmp_path: Path) -> None:
    message = _problem(store, _file(tmp_path, "member_number,last_name\r\nM1,A\r\n"))
    assert message.startswith("Line 1: no column gives a first name") and "--map" in message


def test_duplicate_headers(store: Store, tmp_path: Path) -> None:
    message = _problem(
        store, _file(tmp_path, "member_number,first_name,Email,email\r\nM1,A,a@b.org,a@b.org\r\n")
    )
    assert message.startswith("Line 1: the column 'email' appears twice (columns 3 and 4)")


def test_two_synonyms_for_one_field(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, "member_number,first_name,Cell Phone,phone\r\nM1,A,3235550142,2135550100\r\n")
    message = _problem(store, path)
    assert "both give the phone" in message and "--map 'phone=ignore'" in message
    assert _apply(store, path, overrides={"phone": "ignore"}).applied
    assert _members(store)["M1"].phone == "+13235550142"


@pytest.mark.parametrize(
    "header",
    [
        "Member Number,First Name,Last Name,E-mail,Phone",
        "member_number,first_name,last_name,email,can2_phone",
        "MEMBERNUMBER,FIRSTNAME,LASTNAME,EMAIL ADDRESS,MOBILE",
        " Employee ID , Given Name , Surname , e_mail , Cell Phone ",
    ],
)
def test_header_variants(store: Store, tmp_path: Path, header: str) -> None:
    preview = _apply(store, _file(tmp_path, header + "\r\nM1,Ann,Lee,ann@example.org,3235550142\r\n"))
    assert [m.field for m in preview.mapping] == [
        "member_number",
        "first_name",
        "last_name",
        "email",
        "phone",
    ]
    assert _members(store)["M1"].email == "ann@example.org"


def test_unmapped_columns_are_listed_and_map_overrides(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, "ID,Name,Shoe size\r\nM1,Ann,9\r\n")
    with pytest.raises(CsvProblem):
        _apply(store, path)
    with store.read() as s:
        preview = preview_import(s, path, overrides={"id": "member_number", "NAME": "first_name"})
    assert preview.unmapped == ("Shoe size",) and preview.new == 1
    assert "not a member field" in _problem(store, path, overrides={"ID": "shoe"})
    assert "has no column" in _problem(store, path, overrides={"Nope": "first_name"})


def test_ragged_rows(store: Store, tmp_path: Path) -> None:
    data = GOOD + "M3,Too,Few\r\nM4,Too,Many,a@b.org,,extra\r\nM5,Trailing,Commas,,,,\r\n"
    preview = _apply(store, _file(tmp_path, data))
    assert [(r.line, r.reason) for r in preview.rejected] == [
        (4, "The row has 3 fields but the header has 5."),
        (5, "The row has 6 fields but the header has 5."),
    ]
    assert preview.new == 3 and not preview.applied and _count(store) == 0
    rejected = preview.rejected_file
    assert rejected == tmp_path / "members.rejected.csv" and rejected.exists()
    text = rejected.read_text()
    assert '"rejected_line","rejected_reason"' in text and '"4","The row has 3 fields' in text


def test_formula_payloads_and_escapes(store: Store, tmp_path: Path) -> None:
    data = (
        "member_number,first_name,last_name,notes,phone\r\n"
        "M1,'=HYPERLINK(\"x\"),'@SUM(A1),'-2+3,'+1 323 555 0142\r\n"
        "M2,=1+2,''=x,'plain,\r\n"
    )
    preview = _apply(store, _file(tmp_path, data))
    assert preview.applied, preview.rejected
    members = _members(store)
    assert members["M1"].first_name == '=HYPERLINK("x")'  # stored literally, never evaluated
    assert (members["M1"].last_name, members["M1"].notes) == ("@SUM(A1)", "-2+3")
    assert members["M1"].phone == "+13235550142"
    assert (members["M2"].first_name, members["M2"].last_name, members["M2"].notes) == (
        "=1+2",
        "'=x",
        "'plain",
    )


def test_emoji_and_right_to_left_marks_are_kept(store: Store, tmp_path: Path) -> None:
    name = "\u200fנועה\u200f 🌹"
    _apply(store, _file(tmp_path, HEADER + f"M1,{name},👩🏽‍🔧,,\r\n"))
    member = _members(store)["M1"]
    assert (member.first_name, member.last_name) == (name, "👩🏽‍🔧")


def test_empty_file(store: Store, tmp_path: Path) -> None:
    assert "empty" in _problem(store, _file(tmp_path, "\r\n\r\n"))


def test_row_cap(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mi, "MAX_ROWS", 2)
    assert _problem(store, _file(tmp_path, GOOD + "M3,C,C,,\r\n")).startswith("Line 4:")


# --------------------------------------------------------------------------- validation


def test_row_validation_reasons(store: Store, tmp_path: Path) -> None:
    data = (
        "member_number,first_name,email,phone,role,status\r\n"
        "M1,Ann,ann@,,,\r\n"
        "M2,Bob,,555-0142,,\r\n"
        "M3,Cy,,,boss,\r\n"
        "M4,Di,,,,gone\r\n"
        ",Ed,,,,\r\n"
        "M6,,,,,\r\n"
        "M7,Fay,FAY@Example.org,+44 20 7946 0958,Captain,EXCUSED\r\n"
    )
    preview = _apply(store, _file(tmp_path, data))
    reasons = {r.line: r.reason for r in preview.rejected}
    assert reasons == {
        2: "'ann@' is not an email address (like name@example.org).",
        3: "'555-0142' is not a valid phone number: give the area code, or +country code for numbers abroad.",
        4: "'boss' is not a role: use one of captain, member, organizer, staff, steward.",
        5: "'gone' is not a status: use one of active, excused, inactive, incomplete.",
        6: "A new member needs a member number: add one.",
        7: "A new member needs a first name.",
    }
    assert preview.new == 1 and _count(store) == 0
    _apply(store, _file(tmp_path, data), skip_rejected=True)
    fay = _members(store)["M7"]
    assert (fay.role, fay.status, fay.phone, fay.phone_digits) == (
        "captain",
        "excused",
        "+442079460958",
        "442079460958",
    )


# --------------------------------------------------------------------------- matching and merging


def _seed(store: Store) -> None:
    with store.write() as s:
        create_member(
            s,
            MemberForm(
                member_number="M1",
                first_name="Ann",
                last_name="Lee",
                email="Ann.Lee@Example.org",
                phone="323-555-0142",
                unit="Paramount",
                skills="first_aid",
            ),
            actor="test",
        )
        create_member(s, MemberForm(member_number="M2", first_name="Bob", phone="213 555 0100"), actor="test")


def test_match_by_number_email_phone_and_update_only_provided(store: Store, tmp_path: Path) -> None:
    _seed(store)
    data = (
        "member_number,first_name,last_name,email,phone,unit,skills\r\n"
        "M1,,,,,Netflix,\r\n"  # by number: only the unit changes
        ",Robert,,,(213) 555-0100,,\r\n"  # by phone (other formatting): Bob → Robert
        "M3,New,Person,new@example.org,,,\r\n"
    )
    preview = _apply(store, _file(tmp_path, data))
    assert (preview.new, preview.updated, preview.unchanged, preview.rejected) == (1, 2, 0, ())
    members = _members(store)
    assert members["M1"].unit == "Netflix" and members["M1"].email == "Ann.Lee@Example.org"
    assert members["M1"].skills == ["first_aid"] and members["M1"].first_name == "Ann"
    assert members["M2"].first_name == "Robert" and members["M2"].search_key == "robert"
    by_email = _file(tmp_path, "email,first_name,last_name\r\nann.lee@EXAMPLE.org,Ann,Lee-Park\r\n", "e.csv")
    preview = _apply(store, by_email)
    assert (preview.updated, preview.new) == (1, 0)
    assert _members(store)["M1"].search_key == "ann lee-park"
    again = _apply(store, by_email)
    assert (again.updated, again.unchanged) == (0, 1)


def test_number_conflicting_with_another_members_email(store: Store, tmp_path: Path) -> None:
    _seed(store)
    preview = _apply(
        store, _file(tmp_path, "member_number,first_name,email\r\nM9,Ann,ann.lee@example.org\r\n")
    )
    assert preview.rejected[0].reason == (
        "The email ann.lee@example.org belongs to member M1, but this row gives member number M9: "
        "correct one of them."
    )


def test_duplicates_within_the_file(store: Store, tmp_path: Path) -> None:
    _seed(store)
    data = (
        "member_number,first_name,email,phone\r\n"
        "M5,Cy,cy@example.org,3105550111\r\n"
        "M6,Cy,CY@example.ORG,\r\n"  # same email, differing in case
        "M7,Cy,,(310) 555-0111\r\n"  # same phone, other format
        "M5,Cy again,,\r\n"  # same number
        "M1,Ann,,\r\n"
        ",Ann,ann.lee@example.org,\r\n"  # the same existing member as the line above
    )
    preview = _apply(store, _file(tmp_path, data))
    assert preview.duplicates_in_file == (
        "Lines 2 and 3 give the same email; line 3 was left out.",
        "Lines 2 and 4 give the same phone; line 4 was left out.",
        "Lines 2 and 5 give the same member number; line 5 was left out.",
        "Lines 6 and 7 give the same member (M1); line 7 was left out.",
    )
    assert [r.line for r in preview.rejected] == [3, 4, 5, 7]
    assert not preview.applied and len(_members(store)) == 2


def test_all_or_nothing_when_a_later_batch_fails(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mi, "BATCH", 3)  # several batches are written before the bad line
    rows = "".join(f"M{i},N{i},,,\r\n" for i in range(1, 20))
    message = _problem(store, _file(tmp_path, HEADER + rows + 'M99,"never closed,,,\r\n'))
    assert message.startswith("Line 21:")
    preview = _apply(store, _file(tmp_path, HEADER + rows + "M99,,,,\r\n"))  # a rejected row at the end
    assert not preview.applied and _count(store) == 0


def test_all_or_nothing_when_the_process_fails(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mi, "BATCH", 2)
    calls = 0
    real = mi._Importer.flush_inserts

    def boom(self: mi._Importer) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk gone")
        real(self)

    monkeypatch.setattr(mi._Importer, "flush_inserts", boom)
    with pytest.raises(OSError, match="disk gone"):
        _apply(store, _file(tmp_path, HEADER + "".join(f"M{i},N{i},,,\r\n" for i in range(10))))
    assert _count(store) == 0


def test_preview_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD + "M3,,,,\r\n")
    with store.read() as s:
        preview = preview_import(s, path)
    assert (preview.new, len(preview.rejected), preview.applied) == (2, 1, False)
    assert _count(store) == 0 and not (tmp_path / "members.rejected.csv").exists()
    with store.read() as s:
        assert preview_import(s, path, write_rejected=True).rejected_file == tmp_path / "members.rejected.csv"


def _audit(store: Store) -> list[tuple[str, str, str, dict[str, object] | None]]:
    from strikeboard.store.models import AuditEvent

    with store.read() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.table_name, AuditEvent.actor, AuditEvent.after).order_by(
                col(AuditEvent.seq)
            )
        ).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_an_applied_import_leaves_one_import_audit_event(store: Store, tmp_path: Path) -> None:
    """The import writes with Core (unseen by the session's recorder): it logs one summary event."""
    with store.write() as s:
        create_member(s, MemberForm(member_number="M2", first_name="Bob"), actor="test")
    before = len(_audit(store))
    path = _file(tmp_path, GOOD)
    with store.read() as s:
        preview_import(s, path)  # a dry run logs nothing
    assert len(_audit(store)) == before
    preview = _apply(store, path)
    assert (preview.new, preview.updated, preview.applied) == (1, 1, True)
    events = _audit(store)[before:]
    assert [(action, table, actor) for action, table, actor, _ in events] == [("import", "member", "test")]
    assert events[0][3] == {"path": str(path), "inserted": 1, "updated": 1}


def test_a_refused_import_leaves_no_audit_event(store: Store, tmp_path: Path) -> None:
    before = len(_audit(store))
    preview = _apply(store, _file(tmp_path, GOOD + "M3,,,,\r\n"))  # a rejected row: nothing applied
    assert not preview.applied and _count(store) == 0
    assert len(_audit(store)) == before


def test_imported_members_are_searchable(store: Store, tmp_path: Path) -> None:
    _apply(store, _file(tmp_path, GOOD))
    with store.read() as s:
        found = s.execute(
            select(col(Member.member_number)).where(col(Member.phone_digits).contains("5550142"))
        )
        assert [n for (n,) in found] == ["M1"]


def test_new_members_get_ascending_version_7_ids(store: Store, tmp_path: Path) -> None:
    """New ids are RFC 9562 version 7 and ascend in file order (they append to the primary-key index)."""
    import uuid
    from datetime import UTC, datetime

    before = datetime.now(UTC)
    rows = "".join(f"M{i:03d},N{i},,,\r\n" for i in range(300))
    assert _apply(store, _file(tmp_path, HEADER + rows)).new == 300
    with store.read() as s:
        ids = list(s.execute(select(col(Member.id)).order_by(col(Member.member_number))).scalars())
    assert all(isinstance(i, uuid.UUID) and i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert [i.hex for i in ids] == sorted(i.hex for i in ids) and len(set(ids)) == 300
    made = datetime.fromtimestamp(int(ids[0].hex[:12], 16) / 1000, UTC)
    assert abs((made - before).total_seconds()) < 60


def test_plain_limits_are_exactly_the_text_fields() -> None:
    """The row fast path skips only validators that check nothing but length and control characters."""
    text_checks = {
        name for name, check in mi.VALIDATORS.items() if check.__qualname__.startswith("_text_check.")
    }
    assert set(mi.PLAIN_LIMITS) == text_checks
    assert all(mi.PLAIN_LIMITS[name] == mi.TEXT_LIMITS.get(name, mi.MAX_FIELD) for name in text_checks)


def test_the_row_fast_path_decides_as_the_validators(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows with and without control characters, at and over the length limits, with escapes."""
    from strikeboard.store.db import open_store

    header = "member_number,first_name,last_name,unit,notes,email,extra\r\n"
    cells = [
        "plain",
        "  padded  ",
        "tab\there",
        "bell\x07",
        "x" * 100,
        "x" * 101,
        "y" * 120,
        "y" * 121,
        "'=formula",
        "'",
        "line\nbreak",
        "carriage\rreturn",
        "\x1f",
        "Zoë 🙂\u200f",
    ]
    rows = []
    for i, cell in enumerate(cells):
        for j, other in enumerate(cells[:: 1 + i % 3]):
            quoted = [f'"{c}"' for c in (f"N{i}-{j}", cell, other, other[:130], cell * 2, "", other)]
            rows.append(",".join(quoted) + "\r\n")
    path = _file(tmp_path, header + "".join(rows))

    def run(name: str) -> tuple[list[tuple[int, str]], list[tuple[object, ...]]]:
        store = open_store(str(tmp_path / f"{name}.db"))
        try:
            with store.write() as s:
                preview = apply_import(s, path, actor="test", skip_rejected=True)
            with store.read() as s:
                stored = s.execute(
                    select(
                        Member.member_number, Member.first_name, Member.last_name, Member.unit, Member.notes
                    ).order_by(Member.member_number)
                ).all()
        finally:
            store.close()
        return [(r.line, r.reason) for r in preview.rejected], [tuple(row) for row in stored]

    fast = run("fast")
    monkeypatch.setattr(mi, "PLAIN_LIMITS", {})
    assert run("slow") == fast
    assert fast[0] and fast[1]  # both kinds of row occur
