//! The registry and roster as QA departments keep them (Excel from the ACD,
//! CSV from HR), and the workbooks that must not take the machine down.

use cqa::input::contact::{Contact, Join};
use rust_xlsxwriter::Workbook;
use std::path::Path;

fn contact(id: &str, agent: &str) -> Contact {
    Contact {
        id: id.into(),
        agent_id: agent.into(),
        ..Contact::default()
    }
}

#[test]
fn a_workbook_declaring_the_whole_sheet_is_streamed_not_allocated() {
    // Cells in the last row and column make the sheet declare A1:XFD1048576
    // (17 billion cells); reading it must cost what its cells cost.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registry.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "ID обращения").unwrap();
    ws.write_string(0, 1, "Табельный номер").unwrap();
    ws.write_string(1, 0, "C-1").unwrap();
    ws.write_string(1, 1, "A017").unwrap();
    ws.write_string(1_048_575, 0, "C-LAST").unwrap();
    ws.write_string(1_048_575, 1, "A018").unwrap();
    ws.write_string(1_048_575, 16_383, "далеко справа").unwrap();
    wb.save(&p).unwrap();
    let start = std::time::Instant::now();
    let join = Join::load(Some(&p), None, 64 << 20).unwrap();
    assert!(start.elapsed().as_secs() < 10);
    let reg = join.registry.as_ref().unwrap();
    assert_eq!(reg.len, 2);
    let mut c = contact("C-LAST", "");
    join.apply(&mut c, "x");
    assert_eq!(c.agent_id, "A018");
}

/// A zip whose one entry declares 3.75 GiB uncompressed: the classic bomb.
fn zip_declaring(name: &str, size: u32) -> Vec<u8> {
    let n = name.len() as u16;
    let mut z = Vec::new();
    z.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&[0; 4]); // crc
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    let cd_offset = z.len() as u32;
    z.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&[0; 4]); // crc
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    z.extend_from_slice(name.as_bytes());
    let cd_size = z.len() as u32 - cd_offset;
    z.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&cd_size.to_le_bytes());
    z.extend_from_slice(&cd_offset.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

#[test]
fn a_workbook_part_declaring_gigabytes_is_refused_before_calamine_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("реестр.xlsx");
    std::fs::write(&p, zip_declaring("xl/sharedStrings.xml", 0xF000_0000)).unwrap();
    let e = Join::load(Some(&p), None, 64 << 20).unwrap_err();
    assert!(
        e.contains("workbook part `xl/sharedStrings.xml` unpacks to 3840 MiB, over the limit of 32 MiB; not read"),
        "{e}"
    );
}

#[test]
fn an_old_xls_registry_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registry.xls");
    std::fs::write(&p, b"\xD0\xCF\x11\xE0").unwrap();
    let e = Join::load(Some(&p), None, 64 << 20).unwrap_err();
    assert!(
        e.contains("old .xls workbooks are not read; save it as .xlsx or .csv"),
        "{e}"
    );
}

#[test]
fn registry_over_the_size_limit_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registry.csv");
    std::fs::write(&p, "ID;Оператор\n".repeat(200_000)).unwrap();
    let e = Join::load(Some(&p), None, 1 << 20).unwrap_err();
    assert!(e.contains("over the limit of 1 MiB"), "{e}");
}

#[test]
fn duplicate_registry_rows_that_disagree_are_reported_first_row_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registry.csv");
    std::fs::write(
        &p,
        "Номер обращения;Логин оператора;Очередь\nC-1;A017;cards\nC-1;A018;cards\nC-2;A017;loans\n",
    )
    .unwrap();
    let join = Join::load(Some(&p), None, 1 << 20).unwrap();
    let reg = join.registry.as_ref().unwrap();
    assert_eq!(reg.len, 3);
    let d = &reg.duplicates[0];
    assert_eq!(
        (
            d.contact_id.as_str(),
            d.field.as_str(),
            d.kept.as_str(),
            d.other.as_str()
        ),
        ("C-1", "agent_id", "A017", "A018")
    );
    assert!(
        d.kept_from.ends_with("registry.csv, row 2")
            && d.other_from.ends_with("registry.csv, row 3"),
        "{d:?}"
    );
    let mut c = contact("C-1", "");
    join.apply(&mut c, "x");
    assert_eq!(c.agent_id, "A017");
}

#[test]
fn a_roster_keyed_by_a_bare_id_column_fills_name_team_and_lead() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("roster.csv");
    std::fs::write(
        &p,
        "ID,ФИО сотрудника,Отдел,Тимлид,Стаж\nA017,Иванова Мария,Группа 3,Петров П.,2 года\n",
    )
    .unwrap();
    let join = Join::load(None, Some(Path::new(&p)), 1 << 20).unwrap();
    let mut c = contact("C-9", "A017");
    c.team = Some("группа 3".into());
    let (conflicts, matched) = join.apply(&mut c, "in/C-9.txt");
    assert!(!matched, "no registry given");
    assert!(
        conflicts.is_empty(),
        "same team in another case is no conflict: {conflicts:?}"
    );
    assert_eq!(c.agent_name.as_deref(), Some("Иванова Мария"));
    assert_eq!(c.metadata["team_lead"], "Петров П.");
    assert_eq!(c.metadata["стаж"], "2 года");
}

#[test]
fn registry_metadata_columns_that_disagree_with_the_contact_are_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registry.csv");
    std::fs::write(&p, "contact_id\tcategory\tcsat\nC-1\tcomplaint\t3\n").unwrap();
    let join = Join::load(Some(&p), None, 1 << 20).unwrap();
    let mut c = contact("C-1", "A017");
    c.metadata.insert("category".into(), "request".into());
    let (conflicts, matched) = join.apply(&mut c, "C-1.json");
    assert!(matched);
    assert_eq!(
        c.metadata["category"], "request",
        "the contact keeps its own value"
    );
    assert_eq!(c.metadata["csat"], "3");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (conflicts[0].field.as_str(), conflicts[0].other.as_str()),
        ("category", "complaint")
    );
}
