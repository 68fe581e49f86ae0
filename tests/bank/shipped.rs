//! The shipped bank's promises to users: each finished domain at exam standard (counts per
//! task statement, every guide item covered, multiple response, a spread of difficulty),
//! every seed scenario covered, both languages real, balanced answer letters, sources, and no
//! near-duplicates. The strict authoring lints run on it in `main.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use quizbot::bank::{self, Bank, Difficulty, Domain, GuideItem, Letters, Question, TaskStatement};

fn shipped() -> Bank {
    bank::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bank")]).expect("data/bank loads")
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
fn every_seed_scenario_keeps_at_least_three_questions_in_the_bank() {
    let bank = shipped();
    let map = seed_map();
    assert_eq!(
        map.keys().copied().collect::<Vec<_>>(),
        (1..=24).collect::<Vec<_>>(),
        "every seed scenario has questions"
    );
    for (scenario, ids) in &map {
        assert!(
            ids.len() >= 3,
            "scenario {scenario} has {} questions",
            ids.len()
        );
        for id in ids {
            let q = bank.get(&bank::QuestionId::parse(id).unwrap());
            // A question may have moved to the domain it belongs to; its id stays.
            assert!(q.is_some(), "scenario {scenario}: {id} is not in the bank");
        }
    }
}

/// The guide's item codes, as copied into the fixture from the exam guide.
fn guide_items() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exam-guide-items.txt");
    std::fs::read_to_string(path)
        .expect("the item-code fixture")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_owned))
        .collect()
}

#[test]
fn the_task_table_lists_exactly_the_exam_guide_s_items() {
    let ours: Vec<String> = TaskStatement::all()
        .flat_map(|t| t.items())
        .map(|i| i.to_string())
        .collect();
    assert_eq!(ours, guide_items());
}

/// What a finished domain promises: how many questions per task statement, and the prefix
/// of its ids (questions moved in from another domain keep theirs).
struct Standard {
    domain: Domain,
    total: usize,
    per_task: &'static [(&'static str, usize)],
    prefix: &'static str,
}

fn meets_the_standard(standard: &Standard) {
    let bank = shipped();
    let questions: Vec<&Question> = bank
        .questions()
        .iter()
        .filter(|q| q.domain == standard.domain)
        .collect();
    let domain = standard.domain;
    let n = questions.len();
    assert!(n >= standard.total, "{domain}: {n} questions");
    for (code, min) in standard.per_task {
        let task = TaskStatement::parse(code).unwrap();
        let count = questions.iter().filter(|q| q.task == task).count();
        assert!(count >= *min, "{domain}: task {code} has {count} of {min}");
        let covered: BTreeSet<GuideItem> = questions
            .iter()
            .flat_map(|q| q.covers.iter().copied())
            .collect();
        let open: Vec<String> = task
            .items()
            .filter(|i| !covered.contains(i))
            .map(|i| i.to_string())
            .collect();
        assert!(open.is_empty(), "{domain}: uncovered guide items {open:?}");
    }
    let multi = questions.iter().filter(|q| q.picks() > 1).count();
    assert!(
        multi * 100 >= 15 * n,
        "{domain}: {multi} of {n} multiple response"
    );
    for difficulty in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
        let k = questions
            .iter()
            .filter(|q| q.difficulty == Some(difficulty))
            .count();
        assert!(
            k * 100 >= 20 * n,
            "{domain}: {} is {k} of {n} questions",
            difficulty.key()
        );
    }
    for q in &questions {
        assert!(
            q.id.as_str().starts_with(standard.prefix) || q.id.as_str().starts_with("hp-"),
            "{}: ids of {domain} start with {}",
            q.id,
            standard.prefix
        );
    }
}

#[test]
fn the_high_performing_domain_is_at_exam_standard() {
    meets_the_standard(&Standard {
        domain: Domain::HighPerforming,
        total: 85,
        per_task: &[
            ("3.1", 12),
            ("3.2", 12),
            ("3.3", 12),
            ("3.4", 12),
            ("3.5", 12),
        ],
        prefix: "hp-",
    });
}

#[test]
fn the_secure_domain_is_at_exam_standard() {
    meets_the_standard(&Standard {
        domain: Domain::Secure,
        total: 105,
        per_task: &[("1.1", 34), ("1.2", 31), ("1.3", 34)],
        prefix: "sec-",
    });
}

#[test]
fn the_resilient_domain_is_at_exam_standard() {
    meets_the_standard(&Standard {
        domain: Domain::Resilient,
        total: 90,
        per_task: &[("2.1", 46), ("2.2", 40)],
        prefix: "res-",
    });
}

#[test]
fn the_cost_optimized_domain_is_at_exam_standard() {
    meets_the_standard(&Standard {
        domain: Domain::CostOptimized,
        total: 70,
        per_task: &[("4.1", 22), ("4.2", 16), ("4.3", 14), ("4.4", 14)],
        prefix: "cost-",
    });
}

#[test]
fn multiple_response_questions_say_how_many_and_every_question_has_a_difficulty() {
    for q in shipped().questions() {
        assert!(
            q.difficulty.is_some(),
            "{}: every shipped question has a difficulty",
            q.id
        );
        let (en, ko, options) = match q.picks() {
            1 => continue,
            2 => ("(Choose two.)", "두 가지", 5),
            3 => ("(Choose three.)", "세 가지", 6),
            n => panic!("{}: choose {n} is not an exam format", q.id),
        };
        assert_eq!(q.choice_count(), options, "{}: options", q.id);
        assert!(q.en.prompt.contains(en), "{}: the prompt says {en}", q.id);
        assert!(
            q.ko.prompt.contains(ko),
            "{}: the Korean prompt says {ko}",
            q.id
        );
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

/// `tests/fixtures/confusable-pairs.toml`: each confusable pair of the exam guide (§5) with
/// the questions of its domain that test it, and the side of the pair each one keys on.
#[test]
fn every_confusable_pair_of_the_guide_is_tested_in_its_domain() {
    let bank = shipped();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/confusable-pairs.toml");
    let text = std::fs::read_to_string(path).expect("the confusable-pairs fixture");
    let table: toml::Table = toml::from_str(&text).expect("the fixture parses");
    let pairs = table["pair"].as_array().expect("[[pair]]");
    let mut rows: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for pair in pairs {
        let domain = pair["domain"].as_str().unwrap();
        let row = pair["row"].as_integer().unwrap();
        let name = pair["name"].as_str().unwrap();
        let ids = pair["ids"].as_array().unwrap();
        assert!(
            !ids.is_empty(),
            "{domain} pair {row} ({name}) has no question"
        );
        for id in ids {
            let id = id.as_str().unwrap();
            let q = bank
                .get(&bank::QuestionId::parse(id).unwrap())
                .unwrap_or_else(|| panic!("{domain} pair {row}: {id} is not in the bank"));
            assert_eq!(q.domain.key(), domain, "{id} tests a pair of {domain}");
        }
        rows.entry(domain).or_default().insert(row);
    }
    // The guide's §5 lists 15, 14, 15 and 15 pairs.
    let expected = [
        ("cost-optimized", 15),
        ("high-performing", 15),
        ("resilient", 14),
        ("secure", 15),
    ];
    for (domain, n) in expected {
        let found = rows.get(domain).cloned().unwrap_or_default();
        assert_eq!(
            found,
            (1..=n).collect::<BTreeSet<i64>>(),
            "{domain}: every pair row is listed"
        );
    }
}
