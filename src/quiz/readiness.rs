//! Readiness: where a member stands for the exam, per domain and per task statement, and how
//! much of it they will still recall on their exam date.
//!
//! For each part of the exam: the questions seen of those the bank has, the share answered
//! right the first time, and the predicted recall on exam day: FSRS retrievability at the exam
//! date summed over the questions seen, divided by all the questions available (an unseen
//! question counts as not known). The overall figure weighs the four domains as the exam does.
//! Percentages only: no made-up scaled score.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;

use super::card::{Attachment, Card, CardKind, Reply};
use super::memory::Memory;
use super::{Engine, Outcome, Request, wording};
use crate::bank::{Bank, Domain, Lang, TaskStatement, guide};
use crate::store::StoreError;

/// Days until the exam when a member has not set a date.
pub const DEFAULT_EXAM_IN_DAYS: i64 = 30;
/// How many of the weakest task statements are named.
const WEAK_SPOTS: usize = 3;

/// One part of the exam (a domain or a task statement) for one member.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub available: usize,
    pub seen: usize,
    /// Right the first time, of those seen (`None` before any).
    pub first_try: Option<f64>,
    /// Predicted recall on exam day over all available questions, 0 to 1.
    pub recall: f64,
}

/// A member's readiness on one exam date.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    pub exam: Date,
    /// The member set the date; else it is the default, 30 days ahead.
    pub exam_set: bool,
    pub overall: f64,
    pub domains: BTreeMap<Domain, Part>,
    pub tasks: BTreeMap<TaskStatement, Part>,
    /// The weakest task statements, weakest first (only those the bank has questions for).
    pub weak: Vec<TaskStatement>,
}

#[derive(Default)]
struct Tally {
    available: usize,
    seen: usize,
    first_right: usize,
    recall: f64,
}

impl Tally {
    fn part(&self) -> Part {
        Part {
            available: self.available,
            seen: self.seen,
            first_try: (self.seen > 0).then(|| self.first_right as f64 / self.seen as f64),
            recall: if self.available == 0 {
                0.0
            } else {
                self.recall / self.available as f64
            },
        }
    }
}

/// Readiness from the member's memories and first answers, at the exam moment `exam_at`.
pub fn assess(
    bank: &Bank,
    memories: &HashMap<String, Memory>,
    first_answers: &HashMap<String, bool>,
    recall_at: impl Fn(&Memory) -> f64,
) -> (BTreeMap<Domain, Part>, BTreeMap<TaskStatement, Part>) {
    let mut domains: BTreeMap<Domain, Tally> = BTreeMap::new();
    let mut tasks: BTreeMap<TaskStatement, Tally> = BTreeMap::new();
    for q in bank.questions() {
        let memory = memories.get(q.id.as_str());
        let first = first_answers.get(q.id.as_str());
        for tally in [
            domains.entry(q.domain).or_default(),
            tasks.entry(q.task).or_default(),
        ] {
            tally.available += 1;
            if let Some(memory) = memory {
                tally.seen += 1;
                tally.recall += recall_at(memory);
                tally.first_right += usize::from(first.copied().unwrap_or(false));
            }
        }
    }
    (
        domains.iter().map(|(d, t)| (*d, t.part())).collect(),
        tasks.iter().map(|(t, tally)| (*t, tally.part())).collect(),
    )
}

/// The exam-weighted overall recall (domains the bank lacks count as 0).
pub fn overall(domains: &BTreeMap<Domain, Part>) -> f64 {
    let total: u32 = Domain::ALL.iter().map(|d| guide::exam_weight(*d)).sum();
    Domain::ALL
        .iter()
        .map(|d| f64::from(guide::exam_weight(*d)) * domains.get(d).map_or(0.0, |p| p.recall))
        .sum::<f64>()
        / f64::from(total)
}

/// The weakest task statements by predicted recall, then first-try accuracy.
pub fn weakest(tasks: &BTreeMap<TaskStatement, Part>) -> Vec<TaskStatement> {
    let mut ranked: Vec<(&TaskStatement, &Part)> =
        tasks.iter().filter(|(_, p)| p.available > 0).collect();
    ranked.sort_by(|a, b| {
        a.1.recall
            .total_cmp(&b.1.recall)
            .then(
                a.1.first_try
                    .unwrap_or(0.0)
                    .total_cmp(&b.1.first_try.unwrap_or(0.0)),
            )
            .then(a.0.cmp(b.0))
    });
    ranked
        .into_iter()
        .take(WEAK_SPOTS)
        .map(|(t, _)| *t)
        .collect()
}

/// The file name of the readiness chart.
pub const CHART_NAME: &str = "readiness.png";

fn chart_attachment(png: Vec<u8>) -> Attachment {
    Attachment {
        name: CHART_NAME.to_owned(),
        mime: "image/png",
        bytes: png,
    }
}

/// One field value, a line each.
fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}

impl Engine {
    /// The member's readiness for their exam date, as of `now`.
    pub fn readiness_of(
        &self,
        member: &str,
        server: &str,
        now: Timestamp,
    ) -> Result<Readiness, StoreError> {
        let zone = self.server_zone(server)?;
        let today = zone.local(now).date();
        let set = self
            .store
            .exam_date(member)?
            .and_then(|d| d.parse::<Date>().ok());
        let exam = set.unwrap_or_else(|| {
            today
                .checked_add(jiff::Span::new().days(DEFAULT_EXAM_IN_DAYS))
                .unwrap_or(today)
        });
        // The exam is taken in the morning of its date, in the server's zone.
        let exam_at = zone
            .tz()
            .to_ambiguous_zoned_datetime(exam.at(9, 0, 0, 0))
            .compatible()
            .map(|z| z.timestamp())
            .unwrap_or(now)
            .max(now);
        let memories: HashMap<String, Memory> =
            self.store.memories(member, server)?.into_iter().collect();
        let mut first_answers = HashMap::new();
        for (id, correct) in self.store.answer_history(member, server)? {
            first_answers.entry(id).or_insert(correct);
        }
        let (domains, tasks) = assess(&self.bank, &memories, &first_answers, |m| {
            self.scheduler.recall_at(m, exam_at)
        });
        Ok(Readiness {
            exam,
            exam_set: set.is_some(),
            overall: overall(&domains),
            weak: weakest(&tasks),
            domains,
            tasks,
        })
    }

    pub(super) fn readiness(&self, req: &Request, lang: Lang, now: Timestamp) -> Outcome {
        let r = self.readiness_of(&req.member.key, &req.place.server, now)?;
        let zone = self.server_zone(&req.place.server)?;
        let today = zone.local(now).date();
        let days_left = (r.exam - today).get_days();
        let text = wording::readiness_text(lang);
        let line = |label: &str, p: &Part| wording::readiness_line(lang, label, p);
        let card = Card::new(
            CardKind::Stats,
            text.title,
            wording::readiness_summary(lang, r.overall),
        )
        .field(
            text.exam,
            wording::exam_day(lang, &r.exam.to_string(), days_left, r.exam_set),
        )
        .field(
            text.domains,
            lines(r.domains.iter().map(|(d, p)| line(d.key(), p))),
        )
        .field(
            text.tasks,
            lines(r.tasks.iter().map(|(t, p)| line(t.code(), p))),
        )
        .field(
            text.weak,
            lines(r.weak.iter().map(|t| {
                let recall = r.tasks.get(t).map_or(0.0, |p| p.recall);
                wording::weak_spot(lang, t.code(), t.title(lang), recall)
            })),
        );
        let mut reply = Reply::private(card);
        // The picture of the same figures; a card without it beats no answer at all.
        match super::chart::draw(&r, lang) {
            Ok(png) => reply = reply.attach(chart_attachment(png)),
            Err(error) => {
                tracing::error!(%error, member = %req.member.key, "readiness chart failed")
            }
        }
        Ok(vec![reply])
    }

    pub(super) fn set_exam_date(
        &self,
        req: &Request,
        lang: Lang,
        now: Timestamp,
        date: Date,
    ) -> Outcome {
        let zone = self.server_zone(&req.place.server)?;
        let today = zone.local(now).date();
        if date < today {
            return Err(super::UserError::ExamDateInThePast.into());
        }
        self.store
            .set_exam_date(&req.member.key, &date.to_string())?;
        let days_left = (date - today).get_days();
        let card = Card::info(
            wording::readiness_text(lang).exam,
            wording::exam_date_set(lang, &date.to_string(), days_left),
        );
        Ok(vec![Reply::private(card)])
    }
}
