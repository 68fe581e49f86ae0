//! Authoring lints: cues that let a test-wise reader find the answer without knowing AWS.
//! A question whose key is plainly the longest option, or a domain whose keys lean on one
//! letter, trains the group to spot the cue instead of the fact. `bank check` prints these as
//! warnings (`--strict` makes them errors); they never stop the bot from loading a bank.

use std::collections::BTreeMap;

use super::{Bank, Domain, Lang, Letters, Problem, Question};

/// The key may be the longest option, but not by more than this over the wrong options' mean.
pub const LONGEST_KEY_RATIO: f64 = 1.25;
/// Each letter's share of a domain's single-answer keys, in percent.
pub const LETTER_SHARE: std::ops::RangeInclusive<usize> = 15..=35;
/// At most this share (percent) of a domain's multiple-response keys may contain one letter.
pub const MULTI_LETTER_MAX: usize = 55;
/// At most this share (percent) of a domain's multiple-response questions may be statement lists.
pub const STATEMENT_LIST_MAX: usize = 30;
/// Shares over fewer questions than these say nothing yet, so they are not judged.
pub const MIN_SINGLES: usize = 20;
pub const MIN_MULTIS: usize = 5;

/// Every warning for the bank, each located as `FILE:LINE` and starting with `warning:`.
pub fn lint(bank: &Bank) -> Vec<Problem> {
    let mut warnings = Vec::new();
    for q in bank.questions() {
        for lang in Lang::ALL {
            if let Some(message) = longest_key(q, lang) {
                warnings.push(at_question(bank, q, message));
            }
        }
    }
    let mut domains: BTreeMap<Domain, Vec<&Question>> = BTreeMap::new();
    for q in bank.questions() {
        domains.entry(q.domain).or_default().push(q);
    }
    for (domain, questions) in domains {
        for message in domain_spread(domain, &questions) {
            warnings.push(at_question(bank, questions[0], message).without_question());
        }
    }
    warnings
}

/// Whether a multiple-response question is a plain list of true/false statements rather than
/// a scenario ("Which statements about X are true?").
pub fn is_statement_list(q: &Question) -> bool {
    q.picks() > 1 && q.en.prompt.to_lowercase().contains("statement")
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A right option strictly longer than every wrong one and well over their mean.
fn longest_key(q: &Question, lang: Lang) -> Option<String> {
    let choices = &q.wording(lang).choices;
    let wrong: Vec<usize> = (0..choices.len())
        .filter(|&i| !q.answer.contains(i))
        .map(|i| chars(&choices[i]))
        .collect();
    let longest_wrong = wrong.iter().copied().max()?;
    let mean_wrong = wrong.iter().sum::<usize>() as f64 / wrong.len() as f64;
    q.answer.indices().find_map(|i| {
        let len = chars(&choices[i]);
        let ratio = len as f64 / mean_wrong;
        (len > longest_wrong && ratio > LONGEST_KEY_RATIO).then(|| {
            format!(
                "warning: the key {} is the longest option in {} ({len} characters, {ratio:.2}x the wrong options' mean; at most {LONGEST_KEY_RATIO}x): shorten it or lengthen the others",
                Letters::letter(i),
                lang.code()
            )
        })
    })
}

fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2) / whole
}

/// The letter and statement-list spreads of one domain.
fn domain_spread(domain: Domain, questions: &[&Question]) -> Vec<String> {
    let mut warnings = Vec::new();
    let singles: Vec<&&Question> = questions.iter().filter(|q| q.picks() == 1).collect();
    if singles.len() >= MIN_SINGLES {
        let mut count = [0usize; 4];
        for q in &singles {
            if let Some(slot) = count.get_mut(q.answer.highest()) {
                *slot += 1;
            }
        }
        let shares: Vec<usize> = count.iter().map(|&n| percent(n, singles.len())).collect();
        if shares.iter().any(|s| !LETTER_SHARE.contains(s)) {
            let spread: Vec<String> = shares
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{} {s}%", Letters::letter(i)))
                .collect();
            warnings.push(format!(
                "warning: domain {domain}: single-answer keys are spread {} over {} questions; each of A-D should hold {}-{}%",
                spread.join(", "),
                singles.len(),
                LETTER_SHARE.start(),
                LETTER_SHARE.end()
            ));
        }
    }
    let multis: Vec<&&Question> = questions.iter().filter(|q| q.picks() > 1).collect();
    if multis.len() >= MIN_MULTIS {
        for letter in 0..super::MAX_CHOICES {
            let with = multis.iter().filter(|q| q.answer.contains(letter)).count();
            let share = percent(with, multis.len());
            if share > MULTI_LETTER_MAX {
                warnings.push(format!(
                    "warning: domain {domain}: {} is right in {with} of {} multiple-response questions ({share}%; at most {MULTI_LETTER_MAX}%)",
                    Letters::letter(letter),
                    multis.len()
                ));
            }
        }
        let lists = multis.iter().filter(|q| is_statement_list(q)).count();
        let share = percent(lists, multis.len());
        if share > STATEMENT_LIST_MAX {
            warnings.push(format!(
                "warning: domain {domain}: {lists} of {} multiple-response questions are statement lists ({share}%; at most {STATEMENT_LIST_MAX}%): ask for a combination of steps in a scenario instead",
                multis.len()
            ));
        }
    }
    warnings
}

fn at_question(bank: &Bank, q: &Question, message: String) -> Problem {
    let origin = bank.origin(&q.id);
    Problem {
        file: origin.map(|o| o.file.clone()).unwrap_or_default(),
        line: origin.map(|o| o.line),
        question: Some(q.id.to_string()),
        message,
    }
}

impl Problem {
    fn without_question(self) -> Self {
        Self {
            question: None,
            ..self
        }
    }
}
