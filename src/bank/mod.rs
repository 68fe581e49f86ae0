//! The scenario bank: questions loaded once from TOML/JSON files, validated, then immutable.
//!
//! This module owns the bank's domain types (`QuestionId`, `Domain`, `TaskStatement`,
//! `Letters`, `Lang`) and the rules every question must meet; `load` reads files and reports
//! problems by line, `guide` is the exam guide's table of task statements and items, and
//! `lint` finds the test-wise cues (a give-away longest option, lopsided letters) that
//! `bank check` warns about.

mod files;
pub mod guide;
mod letters;
pub mod lint;
mod load;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use guide::{GuideItem, TaskStatement};
pub use letters::{Letters, LettersError, MAX_CHOICES};
pub use load::{Problem, load, load_files, load_source};

/// A language the bot speaks and the bank is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// A platform locale such as `ko`, `ko-KR` or `en-US`: Korean for any `ko…`, else English.
    pub fn from_locale(locale: &str) -> Self {
        if locale.to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ko" => Ok(Lang::Ko),
            "en" => Ok(Lang::En),
            other => Err(format!("`{other}` is not a language: use `ko` or `en`")),
        }
    }
}

/// The four domains of the SAA-C03 exam guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    Secure,
    Resilient,
    HighPerforming,
    CostOptimized,
}

impl Domain {
    pub const ALL: [Domain; 4] = [
        Domain::Secure,
        Domain::Resilient,
        Domain::HighPerforming,
        Domain::CostOptimized,
    ];

    /// The name used in bank files and commands.
    pub fn key(self) -> &'static str {
        match self {
            Domain::Secure => "secure",
            Domain::Resilient => "resilient",
            Domain::HighPerforming => "high-performing",
            Domain::CostOptimized => "cost-optimized",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let key = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Self::ALL.into_iter().find(|d| d.key() == key)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "easy" => Some(Self::Easy),
            "medium" => Some(Self::Medium),
            "hard" => Some(Self::Hard),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Medium => "medium",
            Self::Hard => "hard",
        }
    }
}

/// A question's stable id: `[a-z0-9-]+`, at most 64 characters (it travels in button ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuestionId(String);

impl QuestionId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("the id is empty".into());
        }
        if text.len() > Self::MAX_LEN {
            return Err(format!(
                "the id is longer than {} characters",
                Self::MAX_LEN
            ));
        }
        if let Some(c) = text
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!("the id may hold only a-z, 0-9 and `-`, not `{c}`"));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for QuestionId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<QuestionId> for String {
    fn from(value: QuestionId) -> Self {
        value.0
    }
}

/// One language's wording of a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wording {
    pub prompt: String,
    pub choices: Vec<String>,
    pub explanation: String,
    /// One line per choice saying why it is wrong; empty for the right ones.
    pub why_wrong: Option<Vec<String>>,
}

/// A validated question. Rounds keep a copy of the question as posted, so it is
/// (de)serializable: a bank edited between restarts cannot change a posted round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub domain: Domain,
    /// The exam guide's task statement this question trains; always of `domain`.
    pub task: TaskStatement,
    /// The guide items it trains, all of `task` (may be empty).
    #[serde(default)]
    pub covers: Vec<GuideItem>,
    pub services: Vec<String>,
    pub answer: Letters,
    pub difficulty: Option<Difficulty>,
    pub references: Vec<String>,
    pub ko: Wording,
    pub en: Wording,
}

impl Question {
    pub fn wording(&self, lang: Lang) -> &Wording {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    pub fn choice_count(&self) -> usize {
        self.en.choices.len()
    }

    /// How many letters a right answer has: 1, or N for "choose N".
    pub fn picks(&self) -> usize {
        self.answer.count()
    }

    pub fn has_service(&self, service: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(service))
    }
}

/// Where a question was read from: the file and the line of its `[[question]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// The loaded bank: every question, in file order, found by id.
#[derive(Debug, Default)]
pub struct Bank {
    questions: Vec<Question>,
    origins: Vec<Origin>,
    by_id: HashMap<QuestionId, usize>,
}

impl Bank {
    /// Builds a bank from questions already validated one by one; ids must be unique.
    pub(crate) fn from_questions(questions: Vec<(Question, Origin)>) -> Self {
        let (questions, origins): (Vec<Question>, Vec<Origin>) = questions.into_iter().unzip();
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        Self {
            questions,
            origins,
            by_id,
        }
    }

    pub fn get(&self, id: &QuestionId) -> Option<&Question> {
        self.by_id.get(id).map(|&i| &self.questions[i])
    }

    /// The file and line a question of this bank was read from.
    pub fn origin(&self, id: &QuestionId) -> Option<&Origin> {
        self.by_id.get(id).map(|&i| &self.origins[i])
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The service names in the bank, spelled as the bank spells them, sorted.
    pub fn services(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .questions
            .iter()
            .flat_map(|q| q.services.iter().map(String::as_str))
            .collect();
        names.sort_unstable_by_key(|s| s.to_ascii_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names
    }

    /// The bank's own spelling of a service typed in any case, if the bank has it.
    pub fn find_service(&self, typed: &str) -> Option<&str> {
        let typed = typed.trim();
        self.services()
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(typed))
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            questions: self.questions.len(),
            ..Summary::default()
        };
        let mut covered = BTreeSet::new();
        for q in &self.questions {
            *summary.per_domain.entry(q.domain.key()).or_default() += 1;
            *summary.per_task.entry(q.task).or_default() += 1;
            covered.extend(q.covers.iter().copied());
            for s in &q.services {
                *summary.per_service.entry(s.clone()).or_default() += 1;
            }
            let difficulty = q.difficulty.map_or("unrated", Difficulty::key);
            *summary.per_difficulty.entry(difficulty).or_default() += 1;
            if q.picks() > 1 {
                summary.choose_n += 1;
            }
        }
        // Every question carries both languages: the loader refuses one without.
        for lang in Lang::ALL {
            summary.per_lang.insert(lang.code(), self.questions.len());
        }
        for task in TaskStatement::all() {
            let open: Vec<GuideItem> = task.items().filter(|i| !covered.contains(i)).collect();
            if !open.is_empty() {
                summary.uncovered.insert(task, open);
            }
        }
        summary
    }
}

/// Counts that `bank check` prints and tests assert.
#[derive(Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub questions: usize,
    pub choose_n: usize,
    pub per_domain: BTreeMap<&'static str, usize>,
    pub per_task: BTreeMap<TaskStatement, usize>,
    /// Per task statement, the guide items no question `covers` yet (tasks with none left out).
    pub uncovered: BTreeMap<TaskStatement, Vec<GuideItem>>,
    pub per_service: BTreeMap<String, usize>,
    pub per_lang: BTreeMap<&'static str, usize>,
    pub per_difficulty: BTreeMap<&'static str, usize>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} questions ({} choose-N)",
            self.questions, self.choose_n
        )?;
        let per_task = TaskStatement::all()
            .map(|t| {
                (
                    t.code().to_owned(),
                    self.per_task.get(&t).copied().unwrap_or(0),
                )
            })
            .collect();
        let sections: [(&str, Vec<(String, usize)>); 5] = [
            ("per domain", pairs(&self.per_domain)),
            ("per task statement", per_task),
            ("per language", pairs(&self.per_lang)),
            ("per difficulty", pairs(&self.per_difficulty)),
            ("per service", pairs(&self.per_service)),
        ];
        // One column for the names, as wide as the longest (service names run long).
        let width = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(name, _)| name.chars().count()))
            .max()
            .unwrap_or(0)
            .max(28);
        for (title, rows) in sections {
            writeln!(f, "{title}:")?;
            for (name, count) in rows {
                writeln!(f, "  {name:<width$} {count:>5}")?;
            }
        }
        if self.uncovered.is_empty() {
            writeln!(f, "guide items covered: all")?;
        } else {
            let open: usize = self.uncovered.values().map(Vec::len).sum();
            writeln!(f, "guide items no question covers yet ({open}):")?;
            for (task, items) in &self.uncovered {
                let codes: Vec<String> = items.iter().map(ToString::to_string).collect();
                writeln!(f, "  {task}: {}", codes.join(" "))?;
            }
        }
        Ok(())
    }
}

fn pairs<K: ToString>(map: &BTreeMap<K, usize>) -> Vec<(String, usize)> {
    map.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}
