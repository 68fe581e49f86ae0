//! Reading bank files: TOML (with each field's line) or JSON of the same shape, every rule
//! checked, every problem collected as `FILE:LINE: question ID: what is wrong`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{
    Bank, Difficulty, Domain, GuideItem, Letters, MAX_CHOICES, Origin, Question, QuestionId,
    TaskStatement, Wording,
};

/// Longest texts a question may carry, per language. They keep every card inside the chat
/// platforms' limits (Discord embed description 4,096, field 1,024; Slack section 3,000).
pub const PROMPT_MAX: usize = 2_000;
pub const CHOICE_MAX: usize = 300;
pub const EXPLANATION_MAX: usize = 2_000;
pub const WHY_WRONG_MAX: usize = 500;
/// Prompt plus all choices, which one question card shows together.
pub const CARD_MAX: usize = 3_500;

/// One thing wrong with the bank, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; `None` when the file itself could not be read.
    pub line: Option<usize>,
    pub question: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(id) = &self.question {
            write!(f, ": question {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Loads every `*.toml` and `*.json` file under the given paths (files or folders).
pub fn load(paths: &[PathBuf]) -> Result<Bank, Vec<Problem>> {
    let (files, mut problems) = super::files::find(paths);
    match load_files(&files) {
        Ok(bank) if problems.is_empty() => Ok(bank),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// Loads exactly these files.
pub fn load_files(files: &[PathBuf]) -> Result<Bank, Vec<Problem>> {
    load_sources(files.iter().map(|f| (f.clone(), super::files::read(f))))
}

/// Loads text as if read from `path`: the loader without the file system (tests, fuzzing).
pub fn load_source(path: &Path, source: &str) -> Result<Bank, Vec<Problem>> {
    load_sources([(path.to_owned(), Ok(source.to_owned()))])
}

fn load_sources(
    sources: impl IntoIterator<Item = (PathBuf, Result<String, Problem>)>,
) -> Result<Bank, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut questions: Vec<(Question, Origin)> = Vec::new();
    let mut first_seen: HashMap<QuestionId, (PathBuf, usize)> = HashMap::new();
    for (path, read) in sources {
        let file = &path;
        let source = match read {
            Ok(s) => super::files::without_bom(s),
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let before = problems.len();
        let valid = read_file(file, &source, &mut problems);
        // Within a file, problems read top to bottom, as an editor shows them.
        problems[before..].sort_by_key(|p| p.line);
        for (question, line) in valid {
            if let Some((other, other_line)) = first_seen.get(&question.id) {
                problems.push(Problem {
                    file: file.clone(),
                    line: Some(line),
                    question: Some(question.id.to_string()),
                    message: format!("the id is already used at {}:{other_line}", other.display()),
                });
                continue;
            }
            first_seen.insert(question.id.clone(), (file.clone(), line));
            let origin = Origin {
                file: file.clone(),
                line,
            };
            questions.push((question, origin));
        }
    }
    if problems.is_empty() {
        Ok(Bank::from_questions(questions))
    } else {
        Err(problems)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

// Every field is optional here so that a missing one is reported with the others,
// instead of the parser stopping at the first.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    domain: Option<Spanned<String>>,
    task: Option<Spanned<String>>,
    covers: Option<Spanned<Vec<Spanned<String>>>>,
    services: Option<Spanned<Vec<Spanned<String>>>>,
    answer: Option<Spanned<Vec<Spanned<String>>>>,
    difficulty: Option<Spanned<String>>,
    references: Option<Spanned<Vec<Spanned<String>>>>,
    ko: Option<Spanned<RawWording>>,
    en: Option<Spanned<RawWording>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWording {
    prompt: Option<Spanned<String>>,
    choices: Option<Spanned<Vec<Spanned<String>>>>,
    explanation: Option<Spanned<String>>,
    why_wrong: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Where a problem's line comes from: TOML spans, or (for JSON) the line of the question's id.
enum Lines<'a> {
    Toml(&'a LineIndex),
    Fixed(usize),
}

impl Lines<'_> {
    fn of(&self, span: std::ops::Range<usize>) -> usize {
        match self {
            Lines::Toml(index) => index.line_of(span.start),
            Lines::Fixed(line) => *line,
        }
    }
}

/// Where each line of a file starts, so a byte offset finds its line by binary search
/// (counting newlines from the top for every field made large banks load quadratically).
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(src: &str) -> Self {
        Self(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&newline| newline < offset) + 1
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    LineIndex::new(src).line_of(offset)
}

/// Parses one file and returns its valid questions with their lines; problems go to `problems`.
fn read_file(file: &Path, source: &str, problems: &mut Vec<Problem>) -> Vec<(Question, usize)> {
    let is_json = file.extension().and_then(|e| e.to_str()) == Some("json");
    let (toml_source, json_lines) = if is_json {
        match json_as_toml(source) {
            Ok(converted) => converted,
            Err(problem) => {
                problems.push(Problem {
                    file: file.to_owned(),
                    ..problem
                });
                return Vec::new();
            }
        }
    } else {
        (source.to_owned(), Vec::new())
    };
    let raw: RawFile = match toml::from_str(&toml_source) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|s| line_of(&toml_source, s.start));
            problems.push(Problem {
                file: file.to_owned(),
                line: if is_json { Some(1) } else { line },
                question: None,
                message: e.message().trim().to_owned(),
            });
            return Vec::new();
        }
    };
    if raw.question.is_empty() {
        problems.push(Problem {
            file: file.to_owned(),
            line: Some(1),
            question: None,
            message: "the file holds no [[question]]".into(),
        });
    }
    let mut valid = Vec::new();
    let index_of_lines = LineIndex::new(&toml_source);
    for (index, spanned) in raw.question.into_iter().enumerate() {
        let lines = match json_lines.get(index) {
            Some(&line) => Lines::Fixed(line),
            None => Lines::Toml(&index_of_lines),
        };
        let line = lines.of(spanned.span());
        let mut check = Check {
            file,
            lines: &lines,
            id: None,
            problems,
        };
        if let Some(question) = check.question(spanned.into_inner(), line) {
            valid.push((question, line));
        }
    }
    valid
}

/// JSON with the bank's shape is re-read as TOML so both share one set of rules; JSON's own
/// parse errors keep their line, and rule problems point at the line of the question's id.
fn json_as_toml(source: &str) -> Result<(String, Vec<usize>), Problem> {
    let value: toml::Table = serde_json::from_str(source).map_err(|e| Problem {
        file: PathBuf::new(),
        line: Some(e.line()),
        question: None,
        message: e.to_string(),
    })?;
    let converted = toml::to_string(&value).map_err(|e| Problem {
        file: PathBuf::new(),
        line: Some(1),
        question: None,
        message: format!("cannot be read as a bank file: {e}"),
    })?;
    let mut lines = Vec::new();
    let mut from = 0;
    let index = LineIndex::new(source);
    if let Some(questions) = value.get("question").and_then(|q| q.as_array()) {
        for q in questions {
            let id = q.get("id").and_then(|v| v.as_str()).unwrap_or("");
            let needle = format!("\"{id}\"");
            // An id spelled with escapes is not found as typed: it takes the line where the
            // search stands, and the search does not move (it must stay on a char boundary).
            let found = source[from..].find(&needle).map(|i| from + i);
            lines.push(index.line_of(found.unwrap_or(from)));
            if let Some(at) = found {
                from = at + needle.len();
            }
        }
    }
    Ok((converted, lines))
}

/// The rules for one question, collecting every problem found.
struct Check<'a, 'p> {
    file: &'a Path,
    lines: &'a Lines<'a>,
    id: Option<String>,
    problems: &'p mut Vec<Problem>,
}

impl Check<'_, '_> {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line: Some(line),
            question: self.id.clone(),
            message: message.into(),
        });
    }

    fn at<T>(&self, spanned: &Spanned<T>) -> usize {
        self.lines.of(spanned.span())
    }

    fn question(&mut self, raw: RawQuestion, line: usize) -> Option<Question> {
        let before = self.problems.len();
        let id = match &raw.id {
            Some(id) => {
                self.id = Some(id.get_ref().clone());
                QuestionId::parse(id.get_ref())
                    .map_err(|e| self.problem(self.at(id), e))
                    .ok()
            }
            None => {
                self.problem(line, "`id` is missing");
                None
            }
        };
        let domain = self.domain(raw.domain.as_ref(), line);
        let task = self.task(raw.task.as_ref(), domain, line);
        let covers = self.covers(raw.covers.as_ref(), task);
        let services = self.list("services", raw.services.as_ref(), line, true);
        let difficulty = raw.difficulty.as_ref().and_then(|d| {
            let parsed = Difficulty::parse(d.get_ref());
            if parsed.is_none() {
                let msg = format!("difficulty `{}` is not easy, medium or hard", d.get_ref());
                self.problem(self.at(d), msg);
            }
            parsed
        });
        let references = self.references(raw.references.as_ref());
        let ko = self.wording("ko", raw.ko.as_ref(), line);
        let en = self.wording("en", raw.en.as_ref(), line);
        let choices = en.as_ref().or(ko.as_ref()).map(|w| w.choices.len());
        let en_choices = raw.en.as_ref().and_then(|en| en.get_ref().choices.as_ref());
        if let (Some(ko_w), Some(en_w), Some(en_choices)) = (&ko, &en, en_choices)
            && ko_w.choices.len() != en_w.choices.len()
        {
            let msg = format!(
                "ko has {} choices but en has {}: every language needs the same choices, in the same order",
                ko_w.choices.len(),
                en_w.choices.len()
            );
            self.problem(self.at(en_choices), msg);
        }
        let answer = self.answer(raw.answer.as_ref(), choices, line);
        if let Some(answer) = answer {
            for (lang, wording, raw_wording) in [("ko", &ko, &raw.ko), ("en", &en, &raw.en)] {
                if let (Some(w), Some(raw_w)) = (wording, raw_wording) {
                    self.why_wrong_matches_answer(lang, w, raw_w.get_ref(), answer);
                }
            }
        }
        if self.problems.len() != before {
            return None;
        }
        Some(Question {
            id: id?,
            domain: domain?,
            task: task?,
            covers: covers?,
            services: services?,
            answer: answer?,
            difficulty,
            references,
            ko: ko?,
            en: en?,
        })
    }

    fn domain(&mut self, raw: Option<&Spanned<String>>, line: usize) -> Option<Domain> {
        let Some(raw) = raw else {
            self.problem(line, "`domain` is missing");
            return None;
        };
        let parsed = Domain::parse(raw.get_ref());
        if parsed.is_none() {
            let msg = format!(
                "domain `{}` is not one of secure, resilient, high-performing, cost-optimized",
                raw.get_ref()
            );
            self.problem(self.at(raw), msg);
        }
        parsed
    }

    /// The task statement, which must be one of the guide's and of the question's domain.
    fn task(
        &mut self,
        raw: Option<&Spanned<String>>,
        domain: Option<Domain>,
        line: usize,
    ) -> Option<TaskStatement> {
        let Some(raw) = raw else {
            self.problem(
                line,
                "`task` is missing: name the exam guide's task statement it trains, such as \"3.2\"",
            );
            return None;
        };
        let task = TaskStatement::parse(raw.get_ref())
            .map_err(|e| self.problem(self.at(raw), format!("task {e}")))
            .ok()?;
        if let Some(domain) = domain
            && task.domain() != domain
        {
            let msg = format!(
                "task {task} belongs to the {} domain, not {domain}",
                task.domain()
            );
            self.problem(self.at(raw), msg);
            return None;
        }
        Some(task)
    }

    /// Guide item codes, each of the question's own task.
    fn covers(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        task: Option<TaskStatement>,
    ) -> Option<Vec<GuideItem>> {
        let Some(raw) = raw else {
            return Some(Vec::new());
        };
        let mut items = Vec::new();
        let mut ok = true;
        for entry in raw.get_ref() {
            match GuideItem::parse(entry.get_ref()) {
                Ok(item) if task.is_some_and(|t| t != item.task()) => {
                    let msg = format!(
                        "covers {item}, an item of task {}, but the question's task is {}",
                        item.task(),
                        task.map_or("", TaskStatement::code)
                    );
                    self.problem(self.at(entry), msg);
                    ok = false;
                }
                Ok(item) if items.contains(&item) => {
                    self.problem(self.at(entry), format!("covers {item} twice"));
                    ok = false;
                }
                Ok(item) => items.push(item),
                Err(e) => {
                    self.problem(self.at(entry), format!("covers {e}"));
                    ok = false;
                }
            }
        }
        ok.then_some(items)
    }

    /// A list of non-empty strings; `required` lists must have at least one entry.
    fn list(
        &mut self,
        name: &str,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        line: usize,
        required: bool,
    ) -> Option<Vec<String>> {
        let Some(raw) = raw else {
            if required {
                self.problem(line, format!("`{name}` is missing"));
                return None;
            }
            return Some(Vec::new());
        };
        if required && raw.get_ref().is_empty() {
            self.problem(self.at(raw), format!("`{name}` is empty"));
            return None;
        }
        let mut ok = true;
        for item in raw.get_ref() {
            if item.get_ref().trim().is_empty() {
                self.problem(self.at(item), format!("`{name}` has an empty entry"));
                ok = false;
            }
        }
        ok.then(|| raw.get_ref().iter().map(|s| s.get_ref().clone()).collect())
    }

    fn references(&mut self, raw: Option<&Spanned<Vec<Spanned<String>>>>) -> Vec<String> {
        let refs = self.list("references", raw, 0, false).unwrap_or_default();
        for item in raw.map(|r| r.get_ref().as_slice()).unwrap_or_default() {
            if !item.get_ref().trim().is_empty() && !item.get_ref().starts_with("https://") {
                let msg = format!("reference `{}` is not an https:// link", item.get_ref());
                self.problem(self.at(item), msg);
            }
        }
        refs
    }

    fn answer(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        choices: Option<usize>,
        line: usize,
    ) -> Option<Letters> {
        let Some(raw) = raw else {
            self.problem(line, "`answer` is missing");
            return None;
        };
        let line = self.at(raw);
        if raw.get_ref().is_empty() {
            self.problem(line, "`answer` is empty");
            return None;
        }
        let mut indices = Vec::new();
        for letter in raw.get_ref() {
            match Letters::parse(letter.get_ref()) {
                Ok(l) if l.count() == 1 => indices.push(l.highest()),
                _ => {
                    let msg = format!(
                        "answer `{}` is not a single letter A to F",
                        letter.get_ref()
                    );
                    self.problem(line, msg);
                    return None;
                }
            }
        }
        let letters = Letters::from_indices(indices.iter().copied())?;
        if letters.count() != indices.len() {
            self.problem(line, "the answer names the same letter twice");
            return None;
        }
        if let Some(n) = choices {
            if letters.highest() >= n {
                let msg = format!(
                    "answer {letters} is not among the {n} choices (A to {})",
                    Letters::letter(n - 1)
                );
                self.problem(line, msg);
                return None;
            }
            if letters.count() >= n {
                self.problem(
                    line,
                    "every choice is marked right: nothing is left to get wrong",
                );
                return None;
            }
        }
        Some(letters)
    }

    fn wording(
        &mut self,
        lang: &str,
        raw: Option<&Spanned<RawWording>>,
        line: usize,
    ) -> Option<Wording> {
        let Some(raw) = raw else {
            self.problem(line, format!("[question.{lang}] is missing"));
            return None;
        };
        let table_line = self.at(raw);
        let w = raw.get_ref();
        let prompt = self.text(lang, "prompt", w.prompt.as_ref(), table_line, PROMPT_MAX);
        let explanation = self.text(
            lang,
            "explanation",
            w.explanation.as_ref(),
            table_line,
            EXPLANATION_MAX,
        );
        let choices = self.choices(lang, w.choices.as_ref(), table_line);
        let why_wrong = self.why_wrong(lang, w.why_wrong.as_ref(), choices.as_deref());
        if let (Some(p), Some(c), Some(field)) = (&prompt, &choices, &w.prompt) {
            let total = p.chars().count() + c.iter().map(|c| c.chars().count()).sum::<usize>();
            if total > CARD_MAX {
                let msg = format!(
                    "{lang} prompt and choices together run {total} characters; at most {CARD_MAX} fit one card"
                );
                self.problem(self.at(field), msg);
            }
        }
        Some(Wording {
            prompt: prompt?,
            choices: choices?,
            explanation: explanation?,
            why_wrong: why_wrong?,
        })
    }

    fn text(
        &mut self,
        lang: &str,
        name: &str,
        raw: Option<&Spanned<String>>,
        table_line: usize,
        max: usize,
    ) -> Option<String> {
        let Some(raw) = raw else {
            self.problem(table_line, format!("{lang}.{name} is missing"));
            return None;
        };
        let text = raw.get_ref().trim();
        let len = text.chars().count();
        if text.is_empty() {
            self.problem(self.at(raw), format!("{lang}.{name} is empty"));
            None
        } else if len > max {
            let msg = format!(
                "{lang}.{name} runs {len} characters; at most {max} fit the chat platforms"
            );
            self.problem(self.at(raw), msg);
            None
        } else {
            Some(text.to_owned())
        }
    }

    fn choices(
        &mut self,
        lang: &str,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        table_line: usize,
    ) -> Option<Vec<String>> {
        let Some(raw) = raw else {
            self.problem(table_line, format!("{lang}.choices is missing"));
            return None;
        };
        let n = raw.get_ref().len();
        if !(2..=MAX_CHOICES).contains(&n) {
            let msg =
                format!("{lang}.choices has {n} entries; a question needs 2 to {MAX_CHOICES}");
            self.problem(self.at(raw), msg);
            return None;
        }
        let mut ok = true;
        for (i, choice) in raw.get_ref().iter().enumerate() {
            let letter = Letters::letter(i);
            let len = choice.get_ref().trim().chars().count();
            if len == 0 {
                self.problem(self.at(choice), format!("{lang} choice {letter} is empty"));
                ok = false;
            } else if len > CHOICE_MAX {
                let msg =
                    format!("{lang} choice {letter} runs {len} characters; at most {CHOICE_MAX}");
                self.problem(self.at(choice), msg);
                ok = false;
            }
        }
        ok.then(|| {
            raw.get_ref()
                .iter()
                .map(|c| c.get_ref().trim().to_owned())
                .collect()
        })
    }

    fn why_wrong(
        &mut self,
        lang: &str,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        choices: Option<&[String]>,
    ) -> Option<Option<Vec<String>>> {
        let Some(raw) = raw else {
            return Some(None);
        };
        let entries = raw.get_ref();
        if let Some(choices) = choices
            && entries.len() != choices.len()
        {
            let msg = format!(
                "{lang}.why_wrong has {} entries but there are {} choices: give one per choice (\"\" for right ones)",
                entries.len(),
                choices.len()
            );
            self.problem(self.at(raw), msg);
            return None;
        }
        let mut ok = true;
        for (i, entry) in entries.iter().enumerate() {
            let len = entry.get_ref().trim().chars().count();
            if len > WHY_WRONG_MAX {
                let letter = Letters::letter(i);
                let msg = format!(
                    "{lang}.why_wrong for {letter} runs {len} characters; at most {WHY_WRONG_MAX}"
                );
                self.problem(self.at(entry), msg);
                ok = false;
            }
        }
        ok.then(|| {
            Some(
                entries
                    .iter()
                    .map(|e| e.get_ref().trim().to_owned())
                    .collect(),
            )
        })
    }

    /// `why_wrong` must be empty exactly for the right letters: a mismatch is the surest
    /// sign of an answer key that points at the wrong option.
    fn why_wrong_matches_answer(
        &mut self,
        lang: &str,
        wording: &Wording,
        raw: &RawWording,
        answer: Letters,
    ) {
        let (Some(lines), Some(raw_lines)) = (&wording.why_wrong, &raw.why_wrong) else {
            return;
        };
        for (i, (text, spanned)) in lines.iter().zip(raw_lines.get_ref()).enumerate() {
            let letter = Letters::letter(i);
            if answer.contains(i) && !text.is_empty() {
                let msg = format!(
                    "{lang}.why_wrong explains why {letter} is wrong, but {letter} is in the answer {answer}"
                );
                self.problem(self.at(spanned), msg);
            } else if !answer.contains(i) && text.is_empty() {
                let msg = format!(
                    "{lang}.why_wrong is empty for {letter}, a wrong choice: say why it is wrong"
                );
                self.problem(self.at(spanned), msg);
            }
        }
    }
}
