//! Starting and stopping the real binary safely: a broken `.env`, a database that is not
//! ours or not yet ours, backups, and a database file that vanishes under the bot.

use super::*;

#[test]
fn a_broken_env_line_is_named_by_file_and_line_never_shown_and_stops_the_bot() {
    let session = Session::new();
    std::fs::write(
        session.dir.path().join(".env"),
        "QUIZBOT_LANG=en\nDISCORD_TOKEN=\"abc-never-shown-token\nQUIZBOT_DB=other.db\n",
    )
    .unwrap();
    let out = session.run(&["play", "--json"], b"/help\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the bot must not start: {stderr}");
    assert!(stderr.contains(".env: line 2"), "{stderr}");
    assert!(!stderr.contains("abc-never-shown-token"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing ran");
    assert!(!session.db().exists(), "no database was created");
    assert!(!session.dir.path().join("other.db").exists());
}
