//! The bank loader and `quizbot bank check`: every rule names the file and line at fault;
//! and the shipped bank's invariants (`shipped`).

mod files;
mod shipped;

use std::path::{Path, PathBuf};
use std::process::Command;

use quizbot::bank::{self, Lang, Letters};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name)
}

/// The problems a file yields, as `file-name:LINE: rest`.
fn problems(name: &str) -> Vec<String> {
    let path = fixture(name);
    let errors =
        bank::load_files(std::slice::from_ref(&path)).expect_err("the fixture should be refused");
    errors
        .iter()
        .map(|p| p.to_string().replace(&path.display().to_string(), name))
        .collect()
}

fn assert_problem(name: &str, line: usize, needle: &str) {
    let found = problems(name);
    let prefix = format!("{name}:{line}: ");
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&prefix) && p.contains(needle)),
        "expected a problem at {prefix}…{needle}…, got {found:#?}"
    );
}

#[test]
fn every_broken_rule_is_reported_at_its_file_and_line() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "bad-id.toml",
            2,
            "question Bad_Id: the id may hold only a-z",
        ),
        (
            "duplicate-id.toml",
            20,
            "question x-ok: the id is already used at",
        ),
        ("bad-domain.toml", 3, "domain `fast` is not one of"),
        ("missing-task.toml", 1, "`task` is missing"),
        (
            "unknown-task.toml",
            4,
            "task `1.4` is not a task statement of the exam guide",
        ),
        (
            "task-of-another-domain.toml",
            4,
            "task 3.2 belongs to the high-performing domain, not secure",
        ),
        (
            "malformed-item.toml",
            5,
            "covers `1.1K1` is not a guide item code",
        ),
        (
            "unknown-item.toml",
            5,
            "covers `1.1-K9` is not in the guide: task 1.1 lists K1 to K5",
        ),
        (
            "item-of-another-task.toml",
            5,
            "covers 1.2-K1, an item of task 1.2, but the question's task is 1.1",
        ),
        ("empty-services.toml", 4, "`services` is empty"),
        (
            "answer-out-of-range.toml",
            5,
            "answer C is not among the 2 choices",
        ),
        ("answer-repeated.toml", 5, "the same letter twice"),
        (
            "answer-not-a-letter.toml",
            5,
            "answer `1` is not a single letter",
        ),
        ("every-choice-right.toml", 5, "every choice is marked right"),
        (
            "one-choice.toml",
            9,
            "ko.choices has 1 entries; a question needs 2 to 6",
        ),
        ("one-choice.toml", 15, "en.choices has 1 entries"),
        ("seven-choices.toml", 15, "en.choices has 7 entries"),
        (
            "languages-disagree.toml",
            15,
            "ko has 2 choices but en has 3",
        ),
        (
            "why-wrong-length.toml",
            11,
            "ko.why_wrong has 3 entries but there are 2 choices",
        ),
        (
            "why-wrong-on-the-answer.toml",
            17,
            "explains why A is wrong, but A is in the answer",
        ),
        (
            "why-wrong-missing-for-a-wrong-choice.toml",
            17,
            "en.why_wrong is empty for B",
        ),
        ("empty-prompt.toml", 14, "en.prompt is empty"),
        ("empty-choice.toml", 15, "en choice B is empty"),
        ("missing-explanation.toml", 13, "en.explanation is missing"),
        ("missing-language.toml", 1, "[question.en] is missing"),
        ("missing-answer.toml", 1, "`answer` is missing"),
        (
            "prompt-too-long.toml",
            14,
            "en.prompt runs 2001 characters; at most 2000",
        ),
        ("bad-difficulty.toml", 6, "difficulty `brutal`"),
        ("reference-not-https.toml", 6, "is not an https:// link"),
        ("unknown-field.toml", 5, "unknown field `anwser`"),
        ("toml-syntax-error.toml", 10, "invalid basic string"),
        ("json-syntax-error.json", 3, "trailing comma"),
        (
            "json-rule.json",
            4,
            "question x-json: answer `Z` is not a single letter",
        ),
    ];
    for (name, line, needle) in cases {
        assert_problem(name, *line, needle);
    }
}

#[test]
fn all_problems_of_a_file_are_reported_in_line_order_not_just_the_first() {
    let found = problems("many-problems.toml");
    let lines: Vec<&str> = found.iter().map(|p| p.split(':').nth(1).unwrap()).collect();
    assert_eq!(lines, ["3", "6", "15"], "{found:#?}");
}

#[test]
fn a_valid_bank_loads_with_its_answers_and_both_languages() {
    let bank =
        bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank")]).unwrap();
    assert_eq!(bank.len(), 4);
    let q = bank
        .questions()
        .iter()
        .find(|q| q.id.as_str() == "t-cost-choose-two")
        .unwrap();
    assert_eq!(q.answer, Letters::parse("AD").unwrap());
    assert_eq!(q.picks(), 2);
    assert!(q.wording(Lang::Ko).prompt.contains("두 가지"));
    assert_eq!(bank.summary().per_domain["high-performing"], 2);
}

#[test]
fn a_missing_bank_folder_is_a_clear_problem() {
    let errors = bank::load(&[PathBuf::from("/nonexistent/bank")]).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .contains("/nonexistent/bank: cannot read"),
        "{}",
        errors[0]
    );
}

fn quizbot(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quizbot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("QUIZBOT_BANK")
        .output()
        .expect("quizbot runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bank_check_prints_every_problem_and_exits_1() {
    let (ok, stdout, _) = quizbot(&[
        "bank",
        "check",
        "tests/fixtures/broken/many-problems.toml",
        "tests/fixtures/broken/bad-id.toml",
    ]);
    assert!(!ok);
    assert!(
        stdout.contains("tests/fixtures/broken/many-problems.toml:3: question x-ok: domain `fast`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "tests/fixtures/broken/many-problems.toml:15: question x-ok: en.prompt is empty"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("tests/fixtures/broken/bad-id.toml:2: question Bad_Id"),
        "{stdout}"
    );
}

#[test]
fn bank_check_summarizes_a_good_bank_and_exits_0() {
    let (ok, stdout, stderr) = quizbot(&["bank", "check", "tests/fixtures/bank"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("\n4 questions (1 choose-N)\n"), "{stdout}");
    assert!(stdout.contains("per service:"), "{stdout}");
    assert!(stdout.contains("KMS"), "{stdout}");
    assert!(stdout.contains("per task statement:"), "{stdout}");
    assert!(
        stdout.contains("guide items no question covers yet (188):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  1.1: 1.1-K1 1.1-K2 1.1-K3 1.1-K4 1.1-K5 1.1-S1"),
        "{stdout}"
    );
}

#[test]
fn bank_check_warns_of_a_give_away_longest_key_and_fails_only_under_strict() {
    let (ok, stdout, stderr) = quizbot(&["bank", "check", "tests/fixtures/lint"]);
    assert!(ok, "warnings keep exit 0: {stderr}");
    assert!(
        stdout.contains(
            "tests/fixtures/lint/giveaway.toml:3: question t-lint-longest-key: warning: the key C is the longest option in en"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("longest option in ko"),
        "the Korean options are balanced: {stdout}"
    );
    assert!(stderr.contains("1 warning(s)"), "{stderr}");
    let (ok, _, stderr) = quizbot(&["bank", "check", "--strict", "tests/fixtures/lint"]);
    assert!(!ok, "--strict makes warnings errors");
    assert!(stderr.contains("errors under --strict"), "{stderr}");
}

#[test]
fn the_summary_counts_questions_per_task_and_names_the_items_still_uncovered() {
    let bank =
        bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")]).unwrap();
    let summary = bank.summary();
    let task = bank::TaskStatement::parse("1.1").unwrap();
    assert_eq!(summary.per_task[&task], 1);
    let open: Vec<String> = summary.uncovered[&task]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(!open.contains(&"1.1-K4".to_owned()), "{open:?}");
    assert_eq!(open.len(), 10, "11 items of 1.1, one covered: {open:?}");
}

#[test]
fn the_shipped_bank_passes_its_own_strict_check() {
    let (ok, stdout, stderr) = quizbot(&["bank", "check", "--strict"]);
    assert!(ok, "data/bank has problems or warnings:\n{stdout}{stderr}");
    assert!(!stdout.contains("warning:"), "{stdout}");
}

/// `n` questions of one domain with the given answers, options all of one length.
fn generated(answers: &[&str], prompt: &str) -> String {
    let mut toml = String::new();
    for (i, answer) in answers.iter().enumerate() {
        let letters: Vec<String> = answer.chars().map(|c| format!("\"{c}\"")).collect();
        let n = if answer.len() > 1 { 5 } else { 4 };
        let choices: Vec<String> = (0..n).map(|k| format!("\"Option {k}\"")).collect();
        let why: Vec<String> = (0..n)
            .map(|k| {
                let letter = (b'A' + k as u8) as char;
                if answer.contains(letter) {
                    "\"\"".into()
                } else {
                    "\"No\"".into()
                }
            })
            .collect();
        toml.push_str(&format!(
            "[[question]]\nid = \"g-{i}\"\ndomain = \"resilient\"\ntask = \"2.1\"\nservices = [\"SQS\"]\nanswer = [{}]\n\
             [question.ko]\nprompt = \"질문 {i}\"\nchoices = [{c}]\nexplanation = \"설명\"\nwhy_wrong = [{w}]\n\
             [question.en]\nprompt = \"{prompt} {i}\"\nchoices = [{c}]\nexplanation = \"Why\"\nwhy_wrong = [{w}]\n\n",
            letters.join(", "),
            c = choices.join(", "),
            w = why.join(", "),
        ));
    }
    toml
}

fn lint_messages(source: &str) -> Vec<String> {
    let bank = bank::load_source(Path::new("gen.toml"), source).expect("the generated bank loads");
    bank::lint::lint(&bank)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_domain_whose_single_answer_keys_lean_on_one_letter_is_warned_about() {
    let lopsided = generated(&["A"; 20], "Which design?");
    let warnings = lint_messages(&lopsided);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("gen.toml:1: warning: domain resilient: single-answer keys are spread A 100%, B 0%, C 0%, D 0% over 20 questions"),
        "{warnings:#?}"
    );
    let even: Vec<&str> = ["A", "B", "C", "D"].into_iter().cycle().take(20).collect();
    assert!(lint_messages(&generated(&even, "Which design?")).is_empty());
}

#[test]
fn multiple_response_keys_that_favour_a_letter_or_list_statements_are_warned_about() {
    let warnings = lint_messages(&generated(
        &["AB", "AC", "AD", "AE", "BC"],
        "Which statements are true?",
    ));
    assert!(
        warnings
            .iter()
            .any(|w| w
                .contains("A is right in 4 of 5 multiple-response questions (80%; at most 55%)")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("5 of 5 multiple-response questions are statement lists")),
        "{warnings:#?}"
    );
    let fine = lint_messages(&generated(
        &["AB", "CD", "BE", "AC", "DE"],
        "Which combination of steps?",
    ));
    assert!(fine.is_empty(), "{fine:#?}");
}
