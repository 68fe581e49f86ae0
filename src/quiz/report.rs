//! Reporting a question: a member says a question is wrong (its key, more than one right
//! answer, outdated, unclear, a typo), with an optional comment. One report per member and
//! question (a second replaces the first); managers list their server's open reports with
//! `/quiz reports`, maintainers every open one with `quizbot bank reports`. Nothing is
//! withdrawn automatically: a maintainer fixes the bank and closes the reports.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::card::{Card, Reply};
use super::{Engine, Outcome, Request, RoundId, UserError, wording};
use crate::bank::{Bank, Lang, QuestionId};
use crate::store::{NewReport, ReportOutcome, ReportRow};

/// Why a member reports a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReportReason {
    /// The marked answer is wrong.
    WrongKey,
    /// More than one option is right.
    SeveralRight,
    /// AWS changed since: the question no longer holds.
    Outdated,
    Unclear,
    /// A typo in the Korean or English text.
    Typo,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::WrongKey,
        ReportReason::SeveralRight,
        ReportReason::Outdated,
        ReportReason::Unclear,
        ReportReason::Typo,
    ];

    /// The reason as typed: its key (`wrong-key`), its number in [`Self::ALL`] (1 to 5), or
    /// a few common ways to say it, in English or Korean.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        if let Ok(n) = text.parse::<usize>() {
            return n.checked_sub(1).and_then(|i| Self::ALL.get(i)).copied();
        }
        let reason = match text.as_str() {
            "wrong-key" | "wrong" | "key" | "wrong-answer" | "정답오류" | "정답" => {
                Self::WrongKey
            }
            "several-right" | "more-than-one" | "two-right" | "multiple" | "복수정답" => {
                Self::SeveralRight
            }
            "outdated" | "old" | "오래됨" | "옛날" => Self::Outdated,
            "unclear" | "confusing" | "불명확" | "모호함" => Self::Unclear,
            "typo" | "typo-ko" | "typo-en" | "오타" => Self::Typo,
            _ => return None,
        };
        Some(reason)
    }

    /// The reason's stored and typed name.
    pub fn key(self) -> &'static str {
        match self {
            Self::WrongKey => "wrong-key",
            Self::SeveralRight => "several-right",
            Self::Outdated => "outdated",
            Self::Unclear => "unclear",
            Self::Typo => "typo",
        }
    }

    /// Every key, for usage lines and placeholders.
    pub fn keys() -> String {
        Self::ALL.map(Self::key).join(", ")
    }
}

/// The most characters a report's comment may have.
pub const COMMENT_MAX: usize = 500;

/// A report's comment: 1 to [`COMMENT_MAX`] characters, spaces at the ends trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportComment(String);

impl ReportComment {
    /// `Ok(None)` for an empty comment; `Err(length)` for one that is too long.
    pub fn parse(text: &str) -> Result<Option<Self>, usize> {
        let text = text.trim();
        match text.chars().count() {
            0 => Ok(None),
            n if n > COMMENT_MAX => Err(n),
            _ => Ok(Some(Self(text.to_owned()))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the 🚩 button under a reveal or feedback names: the question, and the round for a
/// daily question. Its id fits Discord's `custom_id` and Slack's `action_id`; the report
/// form carries the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportButton {
    pub question: QuestionId,
    pub round: Option<RoundId>,
}

impl ReportButton {
    const PREFIX: &str = "qb:f:";

    pub fn encode(&self) -> String {
        match self.round {
            Some(round) => format!("{}{}:{round}", Self::PREFIX, self.question),
            None => format!("{}{}", Self::PREFIX, self.question),
        }
    }

    pub fn decode(id: &str) -> Option<Self> {
        let rest = id.strip_prefix(Self::PREFIX)?;
        let (question, round) = match rest.split_once(':') {
            Some((q, r)) => (q, Some(RoundId(r.parse().ok()?))),
            None => (rest, None),
        };
        Some(Self {
            question: QuestionId::parse(question).ok()?,
            round,
        })
    }

    /// The command a filled-in report form means: the reason as typed or picked, and the
    /// comment. A reason that is not one, or a comment too long, is a usage error.
    pub fn command(
        &self,
        reason: &str,
        comment: &str,
    ) -> Result<super::Command, super::CommandError> {
        let reason = ReportReason::parse(reason).ok_or_else(|| {
            super::usage_error("report", super::Problem::Reason(reason.to_owned()))
        })?;
        let comment = ReportComment::parse(comment)
            .map_err(|n| super::usage_error("report", super::Problem::CommentTooLong(n)))?;
        Ok(super::Command::Report {
            question: self.question.clone(),
            round: self.round,
            reason,
            comment,
        })
    }
}

/// The open reports of one question, tallied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub question_id: String,
    pub reports: usize,
    /// Each reason given, with how many gave it, most given first.
    pub reasons: Vec<(String, usize)>,
    pub comments: Vec<String>,
}

/// Open reports grouped by question, most reported first (then by id).
pub fn tally(rows: &[ReportRow]) -> Vec<Tally> {
    let mut by_question: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
    for row in rows {
        by_question.entry(&row.question_id).or_default().push(row);
    }
    let mut tallies: Vec<Tally> = by_question
        .into_iter()
        .map(|(id, rows)| {
            let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
            for row in &rows {
                *reasons.entry(&row.reason).or_default() += 1;
            }
            let mut reasons: Vec<(String, usize)> = reasons
                .into_iter()
                .map(|(r, n)| (r.to_owned(), n))
                .collect();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Tally {
                question_id: id.to_owned(),
                reports: rows.len(),
                reasons,
                comments: rows.iter().filter_map(|r| r.comment.clone()).collect(),
            }
        })
        .collect();
    tallies.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then(a.question_id.cmp(&b.question_id))
    });
    tallies
}

/// `quizbot bank reports`: every open report for the bank's maintainers, most reported
/// first, with the file and line of each question (English: a maintainer's tool, like
/// `quizbot bank check`).
pub fn maintainer_text(bank: &Bank, rows: &[ReportRow]) -> String {
    let tallies = tally(rows);
    if tallies.is_empty() {
        return "no open reports\n".to_owned();
    }
    let mut out = String::new();
    for t in &tallies {
        let place = QuestionId::parse(&t.question_id)
            .ok()
            .and_then(|id| bank.origin(&id))
            .map_or_else(
                || "(not in this bank)".to_owned(),
                |o| format!("{}:{}", o.file.display(), o.line),
            );
        let reasons: Vec<String> = t.reasons.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
        out.push_str(&format!(
            "{} {place}: {} report(s): {}\n",
            t.question_id,
            t.reports,
            reasons.join(", ")
        ));
        for comment in &t.comments {
            // One line per comment, whatever it holds.
            let comment: String = comment
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            out.push_str(&format!("    \"{comment}\"\n"));
        }
    }
    out.push_str(&format!(
        "{} question(s) reported; after fixing one in the bank, close its reports with `quizbot bank reports --close ID`\n",
        tallies.len()
    ));
    out
}

impl Engine {
    /// Stores a member's report on a question (of the bank, or of a round posted here).
    pub(super) fn report(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        (question, round, reason, comment): (
            &QuestionId,
            Option<RoundId>,
            ReportReason,
            Option<&ReportComment>,
        ),
    ) -> Outcome {
        let round = match round {
            // A button names its round: only one of this channel, with this question.
            Some(id) => Some(
                self.store
                    .round(id)?
                    .filter(|r| r.channel == req.place.channel && r.question.id == *question)
                    .ok_or(UserError::UnknownQuestion(question.to_string()))?
                    .id,
            ),
            // Typed: the latest round of the question in this channel, if it was posted here.
            None => self
                .store
                .latest_round_of(&req.place.channel, question.as_str())?,
        };
        if round.is_none() && self.bank.get(question).is_none() {
            return Err(UserError::UnknownQuestion(question.to_string()).into());
        }
        let outcome = self.store.save_report(NewReport {
            server: req.place.server.clone(),
            member: req.member.key.clone(),
            member_name: req.member.name.clone(),
            question_id: question.to_string(),
            round,
            reason: reason.key(),
            comment: comment.map(|c| c.as_str().to_owned()),
            at: now,
        })?;
        Ok(vec![Reply::private(Card::info(
            wording::report_title(lang),
            wording::report_saved(
                lang,
                question.as_str(),
                reason,
                outcome == ReportOutcome::Replaced,
            ),
        ))])
    }

    /// `/quiz reports`: this server's open reports, most reported first.
    pub(super) fn reports(&self, req: &Request, lang: Lang) -> Outcome {
        let rows = self.store.open_reports(Some(&req.place.server))?;
        let tallies = tally(&rows);
        let body = if tallies.is_empty() {
            wording::no_reports(lang)
        } else {
            tallies
                .iter()
                .take(REPORTS_SHOWN)
                .map(|t| wording::report_line(lang, t))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Ok(vec![Reply::private(
            Card::info(wording::reports_title(lang, tallies.len()), body)
                .footer(wording::reports_footer(lang)),
        )])
    }
}

/// The most questions `/quiz reports` lists (the rest are counted in the title).
const REPORTS_SHOWN: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_read_by_key_number_or_a_common_word() {
        for reason in ReportReason::ALL {
            assert_eq!(ReportReason::parse(reason.key()), Some(reason));
        }
        assert_eq!(ReportReason::parse("1"), Some(ReportReason::WrongKey));
        assert_eq!(ReportReason::parse(" Typo "), Some(ReportReason::Typo));
        assert_eq!(ReportReason::parse("오타"), Some(ReportReason::Typo));
        assert_eq!(ReportReason::parse("6"), None);
        assert_eq!(ReportReason::parse("boring"), None);
    }

    #[test]
    fn a_comment_past_500_characters_is_refused_with_its_length() {
        assert_eq!(ReportComment::parse("  "), Ok(None));
        assert!(ReportComment::parse(&"가".repeat(500)).unwrap().is_some());
        assert_eq!(ReportComment::parse(&"x".repeat(501)), Err(501));
    }

    #[test]
    fn report_button_ids_round_trip_and_fit_discord() {
        let q = QuestionId::parse("hp-storage-1").unwrap();
        for round in [None, Some(RoundId(1234))] {
            let button = ReportButton {
                question: q.clone(),
                round,
            };
            assert_eq!(ReportButton::decode(&button.encode()), Some(button.clone()));
            assert!(button.encode().len() <= 100);
        }
        assert_eq!(ReportButton::decode("qb:r:1:A"), None);
        assert_eq!(ReportButton::decode("qb:f:hp-storage-1:x"), None);
    }
}
