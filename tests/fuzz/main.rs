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

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
