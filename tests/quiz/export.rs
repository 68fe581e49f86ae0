//! `/export`: the member's misses and unsure answers as CSV and as an Anki import file.

use quizbot::bank::Lang;
use quizbot::quiz::{Reply, wording};

use crate::support::{TestApp, at, fixture_bank, question_id, right_and_wrong};

/// Serves the one question of `task` and answers it right or wrong (and unsure).
fn answer(app: &TestApp, task: &str, right: bool, unsure: bool, now: &str) -> String {
    let q = app.ask_one("ana", &format!("/practice task:{task}"), at(now));
    let id = question_id(&q.card);
    let (r, w) = right_and_wrong(&id);
    let flag = if unsure { " unsure" } else { "" };
    let letters = if right { r } else { w };
    app.ask_one("ana", &format!("/answer {letters}{flag}"), at(now));
    id
}

/// A miss on 3.1, an unsure right answer on 3.2, a miss on 1.1 answered right since in
/// review, and a sure right answer on 4.1.
fn history(app: &TestApp) {
    answer(app, "1.1", false, false, "2026-11-24T10:00:00Z");
    let due = app.ask_one("ana", "/review", at("2026-11-24T10:05:00Z"));
    assert_eq!(question_id(&due.card), "t-kms-key-policy");
    let (right, _) = right_and_wrong("t-kms-key-policy");
    app.ask_one(
        "ana",
        &format!("/answer {right}"),
        at("2026-11-24T10:05:00Z"),
    );
    answer(app, "3.1", false, false, "2026-11-24T10:10:00Z");
    answer(app, "3.2", true, true, "2026-11-24T10:20:00Z");
    answer(app, "4.1", true, false, "2026-11-24T10:30:00Z");
}

fn export(app: &TestApp, lang: Lang) -> Reply {
    let request = app.request("ana", "/export", Some(lang));
    let mut replies = app.engine.handle(&request, at("2026-11-24T11:00:00Z"));
    assert_eq!(replies.len(), 1, "{replies:#?}");
    replies.remove(0)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn the_export_holds_each_question_whose_latest_answer_was_a_miss_or_unsure_latest_first() {
    let app = TestApp::spawn();
    history(&app);
    let reply = export(&app, Lang::En);
    assert!(
        reply.card.body.contains("2 questions"),
        "{}",
        reply.card.body
    );
    let names: Vec<(&str, &str)> = reply
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.mime))
        .collect();
    assert_eq!(
        names,
        [
            ("quizbot-misses.csv", "text/csv"),
            ("quizbot-misses-anki.txt", "text/plain")
        ]
    );

    let mut csv = csv::Reader::from_reader(reply.attachments[0].bytes.as_slice());
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers, wording::export_columns(Lang::En));
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, ["t-placement-cluster", "t-cloudfront-static"]);

    let bank = fixture_bank();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == "t-cloudfront-static")
        .unwrap();
    let miss = &rows[1];
    let (_, wrong) = right_and_wrong("t-cloudfront-static");
    assert_eq!(&miss[1], "3.1");
    assert_eq!(&miss[2], "miss");
    assert_eq!(&miss[3], q.en.prompt);
    assert!(miss[4].starts_with("A) "), "{}", &miss[4]);
    assert_eq!(miss[4].lines().count(), q.choice_count());
    assert!(miss[5].starts_with(&format!("{wrong}) ")), "{}", &miss[5]);
    assert!(miss[6].starts_with("B) "), "{}", &miss[6]);
    assert_eq!(&miss[7], q.en.explanation);
    assert!(miss[8].starts_with("https://"), "{}", &miss[8]);
    assert_eq!(&miss[9], "2026-11-24T10:10:00Z");
    assert_eq!(&rows[0][2], "unsure");

    let anki = text(&reply.attachments[1].bytes);
    assert!(
        anki.starts_with("#separator:tab\n#html:false\n#columns:Front\tBack\tTags\n"),
        "{anki}"
    );
    let mut notes = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .comment(Some(b'#'))
        .from_reader(anki.as_bytes());
    let notes: Vec<csv::StringRecord> = notes.records().map(Result::unwrap).collect();
    assert_eq!(notes.len(), 2);
    let note = &notes[1];
    assert_eq!(note.len(), 3);
    assert!(note[0].starts_with(&q.en.prompt), "{}", &note[0]);
    assert!(note[0].contains("\nA) "), "{}", &note[0]);
    assert!(note[1].starts_with("Answer:\nB) "), "{}", &note[1]);
    assert!(note[1].contains(&q.en.explanation), "{}", &note[1]);
    assert!(note[1].contains("https://"), "{}", &note[1]);
    assert_eq!(&note[2], "quizbot saa-c03 task-3.1 miss");
    assert!(notes[0][2].ends_with("unsure"));
}

#[test]
fn a_korean_member_gets_the_export_in_korean() {
    let app = TestApp::spawn();
    history(&app);
    let reply = export(&app, Lang::Ko);
    let mut csv = csv::Reader::from_reader(reply.attachments[0].bytes.as_slice());
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers, wording::export_columns(Lang::Ko));
    let bank = fixture_bank();
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == "t-cloudfront-static")
        .unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(&rows[1][3], q.ko.prompt);
    assert_eq!(&rows[1][2], "오답");
    let anki = text(&reply.attachments[1].bytes);
    assert!(anki.contains("#columns:앞면\t뒷면\t태그\n"), "{anki}");
    assert!(anki.contains("정답:\nB) "), "{anki}");
}

#[test]
fn a_member_with_nothing_to_export_is_told_so_privately_with_no_files() {
    let app = TestApp::spawn();
    answer(&app, "4.1", true, false, "2026-11-24T10:30:00Z");
    let reply = export(&app, Lang::En);
    assert!(reply.attachments.is_empty(), "{:?}", reply.attachments);
    assert_eq!(reply.audience, quizbot::quiz::Audience::Private);
    assert!(
        reply.card.body.contains("Nothing to export yet"),
        "{}",
        reply.card.body
    );
}
