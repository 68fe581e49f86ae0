//! The loader against a hostile or clumsy file system: links back into the bank, FIFOs and
//! devices named like bank files, huge files, bytes that are not UTF-8, unreadable folders,
//! byte-order marks, and JSON that used to panic the line finder.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use quizbot::bank;
use tempfile::TempDir;

const GOOD: &str = include_str!("../fixtures/bank/questions.toml");

/// A bank folder holding the good fixture file.
fn bank_folder() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    dir
}

fn problems_of(paths: &[PathBuf]) -> Vec<String> {
    bank::load(paths)
        .expect_err("the bank should be refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_link_back_into_the_bank_folder_is_one_problem_and_no_duplicate_ids() {
    let dir = bank_folder();
    symlink(".", dir.path().join("again")).unwrap();
    let found = problems_of(&[dir.path().to_owned()]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("again: leads back to the folder"),
        "{found:#?}"
    );
}

#[test]
fn two_links_back_into_the_folder_are_each_reported_once_and_the_loader_ends() {
    let dir = bank_folder();
    symlink(".", dir.path().join("a")).unwrap();
    symlink(dir.path(), dir.path().join("b")).unwrap();
    let found = problems_of(&[dir.path().to_owned()]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.contains("leads back")), "{found:#?}");
}

#[test]
fn the_same_file_reached_twice_is_read_once() {
    let dir = bank_folder();
    let other = TempDir::new().unwrap();
    symlink(dir.path().join("good.toml"), other.path().join("link.toml")).unwrap();
    let bank = bank::load(&[dir.path().to_owned(), other.path().to_owned()]).unwrap();
    assert_eq!(bank.questions().len(), 4);
}

#[test]
fn a_fifo_or_a_device_named_like_a_bank_file_is_refused_without_waiting() {
    let dir = bank_folder();
    let fifo = dir.path().join("x.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo works here");
    symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    let found = problems_of(&[dir.path().to_owned()]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].ends_with("x.toml: is not a regular file: skipped"),
        "{found:#?}"
    );
    assert!(
        found[1].ends_with("zero.json: is not a regular file: skipped"),
        "{found:#?}"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused_with_its_size_and_not_read() {
    let dir = bank_folder();
    let huge = std::fs::File::create(dir.path().join("huge.toml")).unwrap();
    // Sparse: the cap is checked before reading, so this costs no disk and no memory.
    huge.set_len(1 << 40).unwrap();
    let found = problems_of(&[dir.path().to_owned()]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("huge.toml: is 1073741824 KiB, more than the"),
        "{found:#?}"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_reported_at_their_line() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"# one\n# two\n# caf\xe9\n").unwrap();
    let found = problems_of(std::slice::from_ref(&path));
    assert_eq!(
        found,
        [format!("{}:3: is not UTF-8 text here", path.display())]
    );
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .is_some_and(|l| l.split_whitespace().nth(1) == Some("0"))
    })
}

#[test]
fn an_unreadable_subfolder_is_named_as_itself() {
    use std::os::unix::fs::PermissionsExt as _;
    if running_as_root() {
        eprintln!("skipped: root reads every folder");
        return;
    }
    let dir = bank_folder();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let found = problems_of(&[dir.path().to_owned()]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!("{}: cannot read this folder", locked.display())),
        "{found:#?}"
    );
}

/// The fixture bank as JSON of the same shape.
fn good_json() -> String {
    let value: serde_json::Value = toml::from_str(GOOD).unwrap();
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn a_byte_order_mark_is_accepted_in_toml_and_json_alike() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("a.toml"), format!("\u{feff}{GOOD}")).unwrap();
    let json = good_json().replace("\"t-", "\"j-");
    std::fs::write(dir.path().join("b.json"), format!("\u{feff}{json}")).unwrap();
    let bank = bank::load(&[dir.path().to_owned()]).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(bank.questions().len(), 8);
}

#[test]
fn json_with_korean_text_before_a_missing_or_escaped_id_is_refused_without_a_panic() {
    let path = Path::new("korean.json");
    // The line finder used to step into the middle of 한 looking for ids that are not there.
    let missing = r#"{"한국어": 1, "question": [{}, {}, {}]}"#;
    let found = bank::load_source(path, missing).expect_err("not a bank file");
    assert!(
        found[0].message.contains("unknown field `한국어`"),
        "{found:#?}"
    );

    let escaped = good_json().replacen(
        "\"t-cloudfront-static\"",
        r#""\u0074-cloudfront-static""#,
        1,
    );
    let escaped = format!("{{\"x\": \"가나다\", {}", &escaped[1..]);
    let _ = bank::load_source(path, &escaped);
    let without_extra = escaped.replacen("\"x\": \"가나다\", ", "", 1);
    let bank = bank::load_source(path, &without_extra).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(bank.questions()[0].id.as_str(), "t-cloudfront-static");
}
