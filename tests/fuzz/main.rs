//! Property tests: the bank loader and every parser of typed text survive any input.
//! `PROPTEST_CASES` raises the number of cases for a longer run.

use std::path::Path;

use proptest::prelude::*;
use quizbot::bank::{self, Letters};
use quizbot::quiz::{ButtonId, parse};
use quizbot::schedule::{DailyTime, RevealRule, Weekdays, Zone, parse_duration};

const VALID: &str = include_str!("../fixtures/bank/questions.toml");

/// Text that looks like what people type: command words, options, digits, colons, letters
/// in several scripts, and noise.
fn typed() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "/",
        "quiz",
        "schedule",
        "answer",
        "practice",
        "leaderboard",
        "team",
        "join",
        "stats",
        "time:",
        "reveal=",
        "days:",
        ":",
        "=",
        "09:00",
        "24:00",
        "9",
        "Asia/Seoul",
        "America/New_York",
        "mon-fri",
        "fri-mon",
        "월",
        "ééé",
        "AC",
        "b",
        "Z",
        " ",
        "  ",
        "\t",
        "1d",
        "90m",
        "-1h",
        "2h30m",
        "99999999999h",
        "#",
        "<#1>",
        "@",
        "\u{0}",
        "🙂",
        "day",
        "teams",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn command_text_never_panics(line in any::<String>(), typed in typed()) {
        for text in [&line, &typed] {
            let _ = parse(text, &|u| u.to_owned());
            let _ = DailyTime::parse(text);
            let _ = Zone::parse(text);
            let _ = Weekdays::parse(text);
            let _ = RevealRule::parse(text);
            let _ = parse_duration(text);
            let _ = Letters::parse(text);
            let _ = ButtonId::decode(text);
        }
    }

    #[test]
    fn parsed_letters_print_back_as_themselves(text in "[a-fA-F ,]{0,12}") {
        if let Ok(letters) = Letters::parse(&text) {
            prop_assert_eq!(Letters::parse(&letters.to_string()), Ok(letters));
        }
    }

    #[test]
    fn arbitrary_text_as_a_bank_file_never_panics(source in any::<String>()) {
        let _ = bank::load_source(Path::new("fuzz.toml"), &source);
        let _ = bank::load_source(Path::new("fuzz.json"), &source);
    }

    #[test]
    fn a_damaged_valid_bank_file_is_refused_or_loaded_without_panic(
        cuts in prop::collection::vec((0..VALID.len(), 0..40usize, any::<char>()), 1..6)
    ) {
        let mut text = VALID.to_owned();
        for (at, len, with) in cuts {
            let start = floor_char_boundary(&text, at.min(text.len()));
            let end = floor_char_boundary(&text, (start + len).min(text.len()));
            text.replace_range(start..end, &with.to_string());
        }
        let _ = bank::load_source(Path::new("damaged.toml"), &text);
    }
}

/// A JSON string literal for `text`, every character `\u`-escaped or written as is.
fn json_string(text: &str, escape_all: bool) -> String {
    if !escape_all {
        return serde_json::to_string(text).unwrap();
    }
    let mut out = String::from("\"");
    for unit in text.encode_utf16() {
        out.push_str(&format!("\\u{unit:04x}"));
    }
    out.push('"');
    out
}

/// JSON bank files as people and tools write them: Korean and other non-ASCII text,
/// escapes (`\u…`, quotes, backslashes), ids missing, empty or escaped, in any order.
fn json_bank() -> impl Strategy<Value = String> {
    let text = "[a-z0-9 \"\\\\/\n\t가-힣é🙂-]{0,16}";
    let question = (
        prop::option::of(text),
        any::<bool>(),
        text,
        text,
        prop::sample::select(vec!["high-performing", "보안", "secure"]),
        any::<bool>(),
    )
        .prop_map(|(id, escape_id, prompt, choice, domain, escape_text)| {
            let id = id.map_or(String::new(), |id| {
                format!("\"id\": {}, ", json_string(&id, escape_id))
            });
            let (prompt, choice) = (
                json_string(&prompt, escape_text),
                json_string(&choice, escape_text),
            );
            format!(
                "{{{id}\"domain\": \"{domain}\", \"services\": [\"S3\"], \"answer\": [\"A\"], \
                 \"en\": {{\"prompt\": {prompt}, \"choices\": [{choice}, \"b\"], \
                 \"explanation\": {prompt}}}}}"
            )
        });
    (
        "[ \n가-힣]{0,3}",
        prop::collection::vec(question, 0..5),
        prop::option::of("[가-힣 \"]{0,6}"),
    )
        .prop_map(|(lead, questions, extra)| {
            let extra = extra.map_or(String::new(), |k| {
                format!("{}: 1, ", json_string(&k, false))
            });
            format!("{lead}{{{extra}\"question\": [{}]}}", questions.join(",\n"))
        })
}

proptest! {
    #[test]
    fn json_bank_files_with_non_ascii_text_and_escapes_never_panic(source in json_bank()) {
        let _ = bank::load_source(Path::new("fuzz.json"), &source);
        let _ = bank::load_source(Path::new("fuzz.json"), &format!("\u{feff}{source}"));
    }
}

/// One engine for every terminal case: opening a database per case would be most of the run.
fn terminal_engine() -> &'static (quizbot::quiz::Engine, tempfile::TempDir) {
    static ENGINE: std::sync::OnceLock<(quizbot::quiz::Engine, tempfile::TempDir)> =
        std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = tempfile::TempDir::new().unwrap();
        let bank = bank::load_source(Path::new("fuzz.toml"), VALID).unwrap();
        let store = quizbot::store::Store::open(&dir.path().join("fuzz.db")).unwrap();
        let engine = quizbot::quiz::Engine::new(std::sync::Arc::new(bank), store, bank::Lang::En);
        (engine, dir)
    })
}

/// Terminal input: commands and controls people type, with stray bytes (invalid UTF-8,
/// NUL, a byte-order mark) and huge durations mixed in.
fn terminal_lines() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        typed().prop_map(String::into_bytes),
        prop::sample::select(vec![
            ":advance 3000000d",
            ":advance 99999999999h",
            ":advance 1d",
            ":as 가나다라마바사아자차카",
            ":as a\u{0}b",
            ":now",
            "/quiz schedule 09:00 Asia/Seoul channel:#",
            "/quiz post",
            "/quiz reveal",
            "\u{feff}/help",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..24),
    ];
    prop::collection::vec(line, 0..8).prop_map(|lines| lines.join(&b'\n'))
}

proptest! {
    #[test]
    fn terminal_lines_never_end_the_session_or_fail_a_line(input in terminal_lines()) {
        let (engine, dir) = terminal_engine();
        let options = quizbot::adapters::terminal::Options {
            json: true,
            clock: Some("2026-11-24T08:00:00+09:00".parse().unwrap()),
            lang: None,
            // The chart and exports a line may ask for land beside the database.
            files: Some(dir.path().to_path_buf()),
        };
        let mut out = Vec::new();
        let mut terminal = quizbot::adapters::terminal::Terminal::new(engine.clone(), &mut out, options);
        prop_assert!(terminal.run(&input[..], false).is_ok());
        drop(terminal);
        let shown = String::from_utf8(out).unwrap();
        prop_assert!(!shown.contains("could not be carried out"), "{}", shown);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
