//! The shipped bank's promises to users: every seed scenario covered from several angles,
//! both languages real, a spread of difficulty and of answer letters, choose-two questions,
//! sources, and no near-duplicates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use quizbot::bank::{self, Bank, Difficulty, Domain, Letters, Question};

fn shipped() -> Bank {
    bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank")]).expect("data/bank loads")
}

fn high_performing(bank: &Bank) -> Vec<&Question> {
    bank.questions()
        .iter()
        .filter(|q| q.domain == Domain::HighPerforming)
        .collect()
}

/// Seed scenario number -> the ids of the questions built on it.
fn seed_map() -> BTreeMap<u32, Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut map: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == "seed-scenarios.toml" || name.starts_with("seed-map-")
        })
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("the seed map fixture");
        let table: toml::Table = toml::from_str(&text).expect("the seed map parses");
        for (k, v) in table["scenarios"].as_table().expect("[scenarios]") {
            let ids = v.as_array().unwrap().iter();
            map.entry(k.parse().unwrap())
                .or_default()
                .extend(ids.map(|id| id.as_str().unwrap().to_owned()));
        }
    }
    map
}

#[test]
fn every_mapped_question_exists_and_every_shipped_question_serves_a_seed_scenario() {
    let bank = shipped();
    let map = seed_map();
    for (scenario, ids) in &map {
        assert!(
            (1..=24).contains(scenario),
            "scenario {scenario} is not in the seed table"
        );
        assert!(
            ids.len() >= 3,
            "scenario {scenario} has {} questions",
            ids.len()
        );
        for id in ids {
            let q = bank.get(&bank::QuestionId::parse(id).unwrap());
            assert!(q.is_some(), "scenario {scenario}: {id} is not in the bank");
            assert_eq!(q.unwrap().domain, Domain::HighPerforming, "{id}");
        }
    }
    let mapped: BTreeSet<&String> = map.values().flatten().collect();
    for q in high_performing(&bank) {
        assert!(
            mapped.contains(&q.id.to_string()),
            "{} belongs to no seed scenario",
            q.id
        );
    }
}

#[test]
fn the_high_performing_domain_covers_every_seed_scenario_with_enough_questions_of_each_kind() {
    let bank = shipped();
    let scenarios: Vec<u32> = seed_map().keys().copied().collect();
    assert_eq!(
        scenarios,
        (1..=24).collect::<Vec<_>>(),
        "every seed scenario has questions"
    );
    let questions = high_performing(&bank);
    assert!(questions.len() >= 72, "{} questions", questions.len());
    let choose_n = questions.iter().filter(|q| q.picks() > 1).count();
    assert!(choose_n >= 10, "{choose_n} multiple-response questions");
    for difficulty in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
        let n = questions
            .iter()
            .filter(|q| q.difficulty == Some(difficulty))
            .count();
        assert!(
            n * 100 / questions.len() >= 15,
            "{}: {n} of {} questions",
            difficulty.key(),
            questions.len()
        );
    }
}

#[test]
fn choose_two_questions_say_so_and_every_question_has_a_difficulty() {
    for q in shipped().questions() {
        assert!(
            q.difficulty.is_some(),
            "{}: every shipped question has a difficulty",
            q.id
        );
        if q.picks() > 1 {
            assert!(
                q.choice_count() >= 5,
                "{}: choose-two needs five or more options",
                q.id
            );
            assert!(
                q.en.prompt.contains("(Choose two.)"),
                "{}: the prompt says to choose two",
                q.id
            );
            assert!(
                q.ko.prompt.contains("두 가지"),
                "{}: the Korean prompt says to choose two",
                q.id
            );
        }
    }
}

#[test]
fn single_answer_keys_are_spread_over_the_letters() {
    let bank = shipped();
    let singles: Vec<&Question> = bank.questions().iter().filter(|q| q.picks() == 1).collect();
    let mut count = [0usize; 4];
    for q in &singles {
        assert_eq!(
            q.choice_count(),
            4,
            "{}: single-answer questions have four options",
            q.id
        );
        count[q.answer.highest()] += 1;
    }
    for (i, n) in count.iter().enumerate() {
        let share = n * 100 / singles.len();
        assert!(
            (15..=35).contains(&share),
            "{} is the key of {share}% of questions: {count:?}",
            Letters::letter(i)
        );
    }
}

fn hangul(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
        .count()
}

#[test]
fn both_languages_are_really_written_and_every_answer_is_explained_with_a_source() {
    for q in shipped().questions() {
        for text in [&q.ko.prompt, &q.ko.explanation] {
            assert!(
                hangul(text) > 10,
                "{}: the Korean text is not in Korean",
                q.id
            );
        }
        for text in [&q.en.prompt, &q.en.explanation] {
            assert_eq!(
                hangul(text),
                0,
                "{}: the English text has Korean in it",
                q.id
            );
        }
        for lang in [&q.ko, &q.en] {
            assert!(
                lang.why_wrong.is_some(),
                "{}: every wrong option is explained",
                q.id
            );
        }
        assert!(
            q.references
                .iter()
                .any(|r| r.starts_with("https://docs.aws.amazon.com/")),
            "{}: at least one AWS documentation link",
            q.id
        );
    }
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 3)
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn no_two_questions_are_near_duplicates() {
    let bank = shipped();
    let prompts: Vec<(&Question, BTreeSet<String>)> = bank
        .questions()
        .iter()
        .map(|q| {
            (
                q,
                words(&format!("{} {}", q.en.prompt, q.en.choices.join(" "))),
            )
        })
        .collect();
    for (i, (a, wa)) in prompts.iter().enumerate() {
        for (b, wb) in &prompts[i + 1..] {
            let shared = wa.intersection(wb).count() as f64;
            let dice = shared / (wa.len() + wb.len()) as f64 * 2.0;
            assert!(
                dice < 0.6,
                "{} and {} share {:.0}% of their words",
                a.id,
                b.id,
                dice * 100.0
            );
        }
    }
}
