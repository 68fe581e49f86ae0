//! `/export`: a member's misses and unsure answers as two files, a CSV for spreadsheets and a
//! tab-separated text file Anki imports as notes.
//!
//! The rule: one row per question, from its latest scored answer (daily, practice, review or
//! mock) by the member in this server; the question is exported when that answer was wrong
//! or marked unsure. A miss answered right (and sure) since is not exported any more. Text
//! is in the member's language; questions no longer in the bank are left out.

use jiff::Timestamp;

use super::card::{Attachment, Card, Reply};
use super::{Engine, Outcome, Request, wording};
use crate::bank::{Lang, Letters, Question};
use crate::store::ExportedAnswer;

pub const CSV_NAME: &str = "quizbot-misses.csv";
pub const ANKI_NAME: &str = "quizbot-misses-anki.txt";

/// One exported question, ready for either file.
pub struct Row<'a> {
    pub question: &'a Question,
    pub answer: &'a ExportedAnswer,
}

impl Row<'_> {
    fn status(&self, lang: Lang) -> String {
        wording::export_status(lang, self.answer.correct)
    }

    /// The options a set of letters names, a line each: `B) …`.
    fn options_of(&self, lang: Lang, letters: Letters) -> String {
        let w = self.question.wording(lang);
        letters
            .indices()
            .map(|i| {
                let text = w.choices.get(i).map_or("", String::as_str);
                format!("{}) {text}", Letters::letter(i))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn options(&self, lang: Lang) -> String {
        let w = self.question.wording(lang);
        w.choices
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}) {c}", Letters::letter(i)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn references(&self) -> String {
        self.question.references.join("\n")
    }
}

/// The CSV file: a header row, then one row per question.
pub fn csv(rows: &[Row], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(wording::export_columns(lang))?;
    for row in rows {
        let w = row.question.wording(lang);
        out.write_record([
            row.question.id.as_str(),
            row.question.task.code(),
            &row.status(lang),
            &w.prompt,
            &row.options(lang),
            &row.options_of(lang, row.answer.letters),
            &row.options_of(lang, row.question.answer),
            &w.explanation,
            &row.references(),
            &row.answer.at.to_string(),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The Anki file: its header lines, then one note a line (front, back, tags), tab-separated;
/// a field with a tab, a newline or a quote is quoted, as Anki's importer reads it.
pub fn anki(rows: &[Row], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut bytes = b"#separator:tab\n#html:false\n".to_vec();
    let columns = wording::export_anki_columns(lang);
    bytes.extend(format!("#columns:{}\n#tags column:3\n", columns.join("\t")).as_bytes());
    let mut out = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_writer(bytes);
    for row in rows {
        let w = row.question.wording(lang);
        let mut front = format!("{}\n\n{}", w.prompt, row.options(lang));
        if row.question.picks() > 1 {
            front.push_str(&format!(
                "\n\n{}",
                wording::export_choose(lang, row.question.picks())
            ));
        }
        let back = wording::export_back(
            lang,
            &row.options_of(lang, row.question.answer),
            &row.options_of(lang, row.answer.letters),
            &w.explanation,
            &row.references(),
        );
        let tags = format!(
            "quizbot saa-c03 task-{} {}",
            row.question.task.code(),
            if row.answer.correct { "unsure" } else { "miss" }
        );
        out.write_record([front.as_str(), back.as_str(), tags.as_str()])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

impl Engine {
    pub(super) fn export(&self, req: &Request, lang: Lang, _now: Timestamp) -> Outcome {
        let answers = self
            .store
            .exported_answers(&req.member.key, &req.place.server)?;
        let rows: Vec<Row> = answers
            .iter()
            .filter_map(|answer| {
                let id = crate::bank::QuestionId::parse(&answer.question_id).ok()?;
                let question = self.bank.get(&id)?;
                Some(Row { question, answer })
            })
            .collect();
        let title = wording::export_title(lang);
        if rows.is_empty() {
            return Ok(vec![Reply::private(Card::info(
                title,
                wording::export_empty(lang),
            ))]);
        }
        let misses = rows.iter().filter(|r| !r.answer.correct).count();
        let files = csv(&rows, lang).and_then(|c| Ok((c, anki(&rows, lang)?)));
        let (csv, anki) = match files {
            Ok(files) => files,
            Err(error) => {
                tracing::error!(%error, member = %req.member.key, "export failed");
                return Ok(vec![Reply::private(Card::error(
                    lang,
                    wording::internal_error(lang),
                ))]);
            }
        };
        let card = Card::info(
            title,
            wording::export_ready(lang, rows.len(), misses, rows.len() - misses),
        );
        let reply = Reply::private(card)
            .attach(Attachment {
                name: CSV_NAME.to_owned(),
                mime: "text/csv",
                bytes: csv,
            })
            .attach(Attachment {
                name: ANKI_NAME.to_owned(),
                mime: "text/plain",
                bytes: anki,
            });
        Ok(vec![reply])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank");
        let bank = crate::bank::load(&[dir]).unwrap();
        let mut q = bank.questions()[0].clone();
        q.en.prompt = "A prompt, with a comma, \"quotes\",\na new line\tand a tab".into();
        q.en.explanation = "Because, \"simply\"\nso.".into();
        q
    }

    fn answer() -> ExportedAnswer {
        ExportedAnswer {
            question_id: "x".into(),
            letters: Letters::parse("A").unwrap(),
            correct: false,
            unsure: false,
            at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn commas_quotes_newlines_and_tabs_survive_both_files() {
        let (q, a) = (question(), answer());
        let rows = [Row {
            question: &q,
            answer: &a,
        }];
        let bytes = csv(&rows, Lang::En).unwrap();
        let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[3], q.en.prompt);
        assert_eq!(&record[7], q.en.explanation);

        let bytes = anki(&rows, Lang::En).unwrap();
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .has_headers(false)
            .comment(Some(b'#'))
            .from_reader(bytes.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), 3);
        assert!(record[0].starts_with(&q.en.prompt), "{}", &record[0]);
        assert!(record[1].contains(&q.en.explanation), "{}", &record[1]);
    }
}
