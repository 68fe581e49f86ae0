//! Reporting a question in the terminal (`/report`, the reveal's hint) and the maintainers'
//! `quizbot bank reports` over the same database.

use super::*;

/// A day in the terminal: a question posted and revealed, then reported twice by ana (the
/// second replacing the first) and once by bo.
fn reported_session() -> (Session, String) {
    let session = Session::new();
    let out = session.play("2026-11-24T08:00:00+09:00", &["/quiz post", ":advance 1d"]);
    let reveal = of_kind(&out, "reveal")[0].clone();
    let id = reveal["question_id"].as_str().unwrap().to_owned();
    assert_eq!(reveal["report"], format!("/report {id}"), "{reveal:#}");
    let out = session.play(
        "2026-11-25T09:00:00+09:00",
        &[
            &format!("/report {id} typo"),
            &format!("/report {id} wrong-key the key should be C, see the S3 docs"),
            ":as bo",
            &format!("/report {id} several-right"),
            "/quiz reports",
        ],
    );
    let infos = of_kind(&out, "info");
    assert!(
        infos[0]["text"].as_str().unwrap().contains("Thank you"),
        "{out:#?}"
    );
    assert!(
        infos[1]["text"].as_str().unwrap().contains("replaces"),
        "{out:#?}"
    );
    let list = infos.last().unwrap()["text"].as_str().unwrap();
    assert!(list.contains(&format!("{id}: 2 report(s)")), "{list}");
    (session, id)
}

#[test]
fn a_reveal_shows_how_to_report_and_report_stores_one_per_member() {
    let (session, _) = reported_session();
    // The text form shows the hint under the reveal.
    let out = session.run(
        &["play", "--clock", "2026-11-26T08:00:00+09:00"],
        b"/quiz post\n:advance 1d\n",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("🚩 Something wrong? /report "), "{text}");
}

#[test]
fn bank_reports_prints_each_question_s_file_and_line_reasons_counts_and_comments() {
    let (session, id) = reported_session();
    let out = session.run(&["bank", "reports"], b"");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bank =
        quizbot::bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank")])
            .unwrap();
    let origin = bank
        .origin(&quizbot::bank::QuestionId::parse(&id).unwrap())
        .unwrap();
    let line = format!(
        "{id} {}:{}: 2 report(s): several-right ×1, wrong-key ×1",
        origin.file.display(),
        origin.line
    );
    assert!(stdout.contains(&line), "{stdout}");
    assert!(
        stdout.contains("\"the key should be C, see the S3 docs\""),
        "{stdout}"
    );
    // Closing: the question's reports are no longer listed.
    let out = session.run(&["bank", "reports", "--close", &id], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("closed 2 report(s)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = session.run(&["bank", "reports"], b"");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no open reports\n");
    // A question with no open report: nothing to close is an error.
    let out = session.run(&["bank", "reports", "--close", &id], b"");
    assert!(!out.status.success());
}
