//! Replies as neutral cards: what every platform shows, laid out once. Adapters turn a card
//! into an embed, Block Kit or text; they decide how, never what.

use serde::Serialize;

use super::PrivateMode;
use super::command::AnswerTarget;
use super::wording;
use crate::bank::{Lang, Letters, Question, QuestionId};

/// Who sees a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Only the member who asked (ephemeral on Discord and Slack).
    Private,
    /// Everyone in the channel the request came from.
    Channel,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub audience: Audience,
    pub card: Card,
    /// Files that go with the card (a chart, an export), in order. Adapters send them as
    /// the platform does: Discord attachments, Slack file uploads, files on disk.
    pub attachments: Vec<Attachment>,
}

/// A file on a reply: its name (with extension), its media type and its contents.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Reply {
    pub fn private(card: Card) -> Self {
        Self {
            audience: Audience::Private,
            card,
            attachments: Vec::new(),
        }
    }

    pub fn channel(card: Card) -> Self {
        Self {
            audience: Audience::Channel,
            card,
            attachments: Vec::new(),
        }
    }

    /// The same reply with a file.
    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CardKind {
    /// A question to answer: by buttons (one per letter, or a multi-select for `picks > 1`).
    Question {
        question_id: QuestionId,
        target: AnswerTarget,
        picks: usize,
    },
    Receipt,
    Feedback {
        question_id: QuestionId,
        correct: bool,
    },
    Reveal {
        question_id: QuestionId,
        answer: Letters,
        /// The round revealed: its reveal carries the 📌 meetup pick button.
        round: Option<super::RoundId>,
    },
    /// The weekly recap of a channel.
    Recap,
    Leaderboard {
        entries: Vec<Entry>,
    },
    Stats,
    Error,
    Info,
}

impl CardKind {
    /// The kind's name in `--json` output.
    pub fn key(&self) -> &'static str {
        match self {
            CardKind::Question { .. } => "question",
            CardKind::Receipt => "receipt",
            CardKind::Feedback { .. } => "feedback",
            CardKind::Reveal { .. } => "reveal",
            CardKind::Recap => "recap",
            CardKind::Leaderboard { .. } => "leaderboard",
            CardKind::Stats => "stats",
            CardKind::Error => "error",
            CardKind::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub rank: usize,
    pub name: String,
    pub points: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub kind: CardKind,
    pub title: String,
    pub body: String,
    /// Lettered options, shown in order as A, B, C…
    pub choices: Vec<String>,
    pub fields: Vec<Field>,
    /// "Next question" buttons and the like.
    pub next: Option<PrivateMode>,
    /// The 🚩 report button (reveals and feedback).
    pub report: Option<super::ReportButton>,
    pub footer: Option<String>,
}

impl Card {
    pub fn new(kind: CardKind, title: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            kind,
            title: title.into(),
            body: body.into(),
            choices: Vec::new(),
            fields: Vec::new(),
            next: None,
            report: None,
            footer: None,
        }
    }

    pub fn info(title: impl Into<String>, body: impl Into<String>) -> Self {
        Self::new(CardKind::Info, title, body)
    }

    /// An error reply. What the member typed is quoted in backticks: each quote is cut to
    /// [`QUOTE_MAX`] characters, and the whole reply to [`ERROR_MAX`], so a huge line never
    /// comes back whole.
    pub fn error(lang: Lang, body: impl Into<String>) -> Self {
        let body = fit(&cut_quotes(&body.into(), QUOTE_MAX), ERROR_MAX);
        Self::new(CardKind::Error, wording::error_title(lang), body)
    }

    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    /// The card as plain text: the terminal's output and the platforms' notification text.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        if !self.body.is_empty() {
            out.push_str(&self.body);
            out.push('\n');
        }
        for (i, choice) in self.choices.iter().enumerate() {
            out.push_str(&format!("  {}) {choice}\n", Letters::letter(i)));
        }
        for field in &self.fields {
            out.push_str(&format!("{}:\n", field.name));
            for line in field.value.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if let Some(footer) = &self.footer {
            out.push_str(footer);
            out.push('\n');
        }
        out.trim_end().to_owned()
    }
}

/// Cuts `text` to at most `max` characters at a word boundary, ending with a visible `…`,
/// for platforms whose fields have hard limits. Text that fits is returned unchanged.
/// The most of a member's input an error reply quotes.
pub const QUOTE_MAX: usize = 100;
/// The longest error reply: the bot's own words and a usage line fit well within it.
pub const ERROR_MAX: usize = 1_000;

/// `text` with every backtick-quoted span longer than `max` characters cut to `max`, marked.
pub fn cut_quotes(text: &str, max: usize) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 && piece.chars().count() > max {
                let kept: String = piece.chars().take(max).collect();
                format!("{kept}…")
            } else {
                piece.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    if text.chars().nth(keep).is_some_and(char::is_whitespace) {
        return format!("{}…", cut.trim_end());
    }
    // Prefer the last space in the final fifth, so a long word is not the whole loss.
    let at = cut
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .filter(|&i| cut[..i].chars().count() >= keep * 4 / 5)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Splits `text` into pieces of at most `max` characters without losing any: at line ends
/// first, then at spaces; only a single word longer than `max` is cut (with a visible `…`).
/// Platforms use it to spread long text over several fields, sections or messages.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut len = 0;
    for line in text.lines() {
        let pieces: Vec<String> = if line.chars().count() <= max {
            vec![line.to_owned()]
        } else {
            line.split(' ').map(|word| fit(word, max)).collect()
        };
        for (i, piece) in pieces.iter().enumerate() {
            let n = piece.chars().count();
            let sep = match (current.is_empty(), i) {
                (true, _) => "",
                (false, 0) => "\n",
                (false, _) => " ",
            };
            if !current.is_empty() && len + sep.len() + n > max {
                chunks.push(std::mem::take(&mut current));
                current.push_str(piece);
                len = n;
            } else {
                current.push_str(sep);
                current.push_str(piece);
                len += sep.len() + n;
            }
        }
    }
    chunks.push(current);
    chunks.retain(|c| !c.trim().is_empty());
    chunks
}

/// A question card: the prompt and its lettered options.
pub fn question(
    question: &Question,
    lang: Lang,
    target: AnswerTarget,
    title: String,
    footer: String,
) -> Card {
    let w = question.wording(lang);
    let mut card = Card::new(
        CardKind::Question {
            question_id: question.id.clone(),
            target,
            picks: question.picks(),
        },
        title,
        w.prompt.clone(),
    );
    card.choices = w.choices.clone();
    card.footer(footer)
}

/// One line per option: the right ones marked, the wrong ones with why they are wrong.
pub fn options_explained(question: &Question, lang: Lang) -> String {
    let w = question.wording(lang);
    w.choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            let letter = Letters::letter(i);
            if question.answer.contains(i) {
                format!("✅ {letter}) {choice}")
            } else {
                let why = w
                    .why_wrong
                    .as_ref()
                    .and_then(|lines| lines.get(i))
                    .filter(|l| !l.is_empty())
                    .map(|l| format!(" — {l}"))
                    .unwrap_or_default();
                format!("❌ {letter}) {choice}{why}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Votes per letter, as a small bar chart.
pub fn vote_chart(choices: usize, votes: &[Letters], answer: Letters) -> String {
    let total = votes.len().max(1);
    (0..choices)
        .map(|i| {
            let n = votes.iter().filter(|v| v.contains(i)).count();
            let bar = "█".repeat((n * 10).div_ceil(total).min(10));
            let mark = if answer.contains(i) { " ✅" } else { "" };
            format!("{}: {bar} {n}{mark}", Letters::letter(i))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{fit, split};

    #[test]
    fn long_text_is_split_into_sections_that_fit_and_nothing_is_lost() {
        let line = "word ".repeat(200);
        let text = [line.trim_end(); 10].join("\n");
        let chunks = split(&text, 3000);
        assert!(chunks.len() >= 4, "{}", chunks.len());
        assert!(chunks.iter().all(|c| c.chars().count() <= 3000));
        let words: usize = chunks.iter().map(|c| c.split_whitespace().count()).sum();
        assert_eq!(words, 2000);
    }

    #[test]
    fn a_single_overlong_word_is_cut_with_a_visible_mark() {
        let chunks = split(&"x".repeat(5000), 3000);
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].ends_with('…'));
        assert!(chunks[0].chars().count() <= 3000);
    }

    #[test]
    fn fitting_text_cuts_at_a_word_and_marks_the_cut() {
        assert_eq!(fit("short", 10), "short");
        let cut = fit("the quick brown fox jumps over the lazy dog", 20);
        assert!(cut.chars().count() <= 20, "{cut}");
        assert!(cut.ends_with('…'), "{cut}");
        assert_eq!(cut, "the quick brown fox…");
        // No space near the end: cut inside the word rather than lose most of the text.
        assert_eq!(fit("abcdefghijklmnop", 6).chars().count(), 6);
        assert_eq!(fit("한국어 문장은 이렇게 잘려요", 8), "한국어 문장은…");
    }
}
