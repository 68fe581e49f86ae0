//! Cards as Block Kit. The card decides what is shown; this module only maps it onto
//! Slack's blocks and keeps every piece inside Slack's limits without losing any of it:
//! long text goes on over several sections (split at line ends, then at spaces), and a
//! card of more than 50 blocks goes on in follow-up messages, the controls and the footer
//! on the last. Only a card past [`crate::adapters::pages::MAX_MESSAGES`] is cut, with a
//! visible `…`.
//!
//! Layout: a header with the title; the body as sections; a question's options as one
//! section each (`*A)* …`); a card's fields as sections headed in bold; then the controls
//! (one button per letter, or checkboxes and a submit button for choose-N, or a "next"
//! button under feedback); the footer as a context line.

use slack_morphism::prelude::*;

use crate::adapters::pages::paginate;
use crate::bank::{Lang, Letters};
use crate::quiz::report::COMMENT_MAX;
use crate::quiz::{
    AnswerTarget, ButtonId, Card, CardKind, ReportButton, ReportReason, fit, split, wording,
};

/// Slack's limits (reference/slack.md).
pub const SECTION_TEXT: usize = 3000;
pub const HEADER_TEXT: usize = 150;
pub const BUTTON_TEXT: usize = 75;
pub const MAX_BLOCKS: usize = 50;
pub const ACTION_ID: usize = 255;
pub const BUTTON_VALUE: usize = 2000;
pub const OPTION_VALUE: usize = 150;
/// The notification text sent beside the blocks; Slack cuts at 40,000, we keep it short.
pub const FALLBACK_TEXT: usize = 3000;

/// The action id of the submit button under a choose-N question's checkboxes. The ticked
/// options' values are [`ButtonId`]s, read back from the message state on submit.
pub const SUBMIT_ACTION: &str = "qb-submit";
/// The action id of those checkboxes (ticking one is acknowledged and otherwise ignored).
pub const PICK_ACTION: &str = "qb-pick";

/// One Slack message: blocks and the plain text Slack shows in notifications.
#[derive(Debug, Clone)]
pub struct Message {
    pub text: String,
    pub blocks: Vec<SlackBlock>,
}

impl Message {
    pub fn content(&self) -> SlackMessageContent {
        let content = SlackMessageContent::new().with_text(self.text.clone());
        if self.blocks.is_empty() {
            content
        } else {
            content.with_blocks(self.blocks.clone())
        }
    }
}

/// The card as messages members can act on: answer buttons on questions, "next" under
/// feedback, on the last message. `lang` is the reader's, for the few words on buttons.
/// Most cards are one message.
pub fn render(card: &Card, lang: Lang) -> Vec<Message> {
    build(card, controls(card, lang))
}

/// The card with no controls at all: a daily question after its reveal.
pub fn render_closed(card: &Card) -> Vec<Message> {
    build(card, None)
}

fn build(card: &Card, controls: Option<SlackBlock>) -> Vec<Message> {
    let mut content: Vec<SlackBlock> = Vec::new();
    if !card.title.trim().is_empty() {
        content.push(
            SlackHeaderBlock::new(SlackBlockPlainTextOnly::from(fit(&card.title, HEADER_TEXT)))
                .into(),
        );
    }
    content.extend(sections(&card.body));
    for (i, choice) in card.choices.iter().enumerate() {
        let letter = Letters::letter(i);
        content.extend(sections_escaped(&format!("*{letter})* {}", escape(choice))));
    }
    for field in &card.fields {
        let text = format!("*{}*\n{}", escape(&field.name), escape(&field.value));
        content.extend(sections_escaped(&text));
    }
    let mut tail: Vec<SlackBlock> = controls.into_iter().collect();
    if let Some(footer) = card.footer.as_deref().filter(|f| !f.trim().is_empty()) {
        let text = fit_escaped(footer, SECTION_TEXT);
        tail.push(
            SlackContextBlock::new(vec![SlackContextBlockElement::MarkDown(
                SlackBlockMarkDownText::new(text),
            )])
            .into(),
        );
    }
    // Every message keeps room for the tail, which goes on whichever is last.
    let room = MAX_BLOCKS - tail.len();
    let (mut pages, cut) = paginate(content, |_| 1, room, room, room);
    if cut && let Some(block) = pages.last_mut().and_then(|p| p.last_mut()) {
        *block = section("…".to_owned());
    }
    if let Some(last) = pages.last_mut() {
        last.extend(tail);
    }
    pages
        .into_iter()
        .enumerate()
        .map(|(i, blocks)| Message {
            // Notifications show the whole card once; follow-ups show its title.
            text: match i {
                0 => fit_escaped(&card.plain_text(), FALLBACK_TEXT),
                _ => fit_escaped(&card.title, HEADER_TEXT),
            },
            blocks,
        })
        .collect()
}

/// The actions block a card needs, if any.
fn controls(card: &Card, lang: Lang) -> Option<SlackBlock> {
    let mut elements = kind_controls(card, lang);
    if let Some(report) = &card.report {
        let label = wording::report_button_label(lang);
        elements.push(button(&label, &report.encode(), "report").into());
    }
    (!elements.is_empty()).then(|| SlackActionsBlock::new(elements).into())
}

/// The ids of the report form's two inputs (block and action alike).
pub const REASON_INPUT: &str = "reason";
pub const COMMENT_INPUT: &str = "comment";
/// Slack's limits on a modal (reference/slack.md).
pub const VIEW_TITLE: usize = 24;
pub const VIEW_BUTTON: usize = 24;
pub const INPUT_LABEL: usize = 2000;

/// The report form: a static select of the reasons and an optional multi-line comment of
/// at most [`COMMENT_MAX`] characters. `metadata` comes back with the submission.
pub fn report_form(report: &ReportButton, lang: Lang, metadata: String) -> SlackView {
    let text = |s: String, max| SlackBlockPlainTextOnly::from(fit(&s, max));
    let options: Vec<SlackBlockChoiceItem<SlackBlockPlainTextOnly>> = ReportReason::ALL
        .iter()
        .map(|r| {
            SlackBlockChoiceItem::new(text(wording::reason_label(lang, *r), 75), r.key().into())
        })
        .collect();
    let reason = SlackBlockStaticSelectElement::new()
        .with_action_id(REASON_INPUT.into())
        .with_options(options);
    let comment = SlackBlockPlainTextInputElement::new()
        .with_action_id(COMMENT_INPUT.into())
        .with_multiline(true)
        .with_max_length(COMMENT_MAX as u64)
        .with_placeholder(text(wording::report_comment_placeholder(lang), 150));
    let blocks: Vec<SlackBlock> = vec![
        SlackInputBlock::new(
            text(wording::report_reason_label(lang), INPUT_LABEL),
            SlackInputBlockElement::StaticSelect(reason),
        )
        .with_block_id(REASON_INPUT.into())
        .into(),
        SlackInputBlock::new(
            text(wording::report_comment_label(lang), INPUT_LABEL),
            SlackInputBlockElement::PlainTextInput(comment),
        )
        .with_block_id(COMMENT_INPUT.into())
        .with_optional(true)
        .into(),
    ];
    SlackView::Modal(
        SlackModalView::new(text(wording::report_form_title(lang), VIEW_TITLE), blocks)
            .with_submit(text(wording::report_submit_label(lang), VIEW_BUTTON))
            .with_close(text(wording::report_cancel_label(lang), VIEW_BUTTON))
            .with_callback_id(report.encode().into())
            .with_private_metadata(metadata),
    )
}

fn kind_controls(card: &Card, lang: Lang) -> Vec<SlackActionBlockElement> {
    match &card.kind {
        CardKind::Question { target, picks, .. } => {
            let mut elements = if *picks > 1 {
                pick_controls(target, card.choices.len(), *picks, lang)
            } else {
                (0..card.choices.len())
                    .filter_map(|i| {
                        let letters = Letters::single(i)?;
                        let id = ButtonId::Answer {
                            target: target.clone(),
                            letters,
                        };
                        let label = letters.to_string();
                        Some(button(&label, &id.encode(), &label).into())
                    })
                    .collect()
            };
            let unsure = ButtonId::Unsure(target.clone()).encode();
            let label = wording::unsure_button_label(lang);
            elements.push(button(&label, &unsure, "unsure").into());
            elements
        }
        CardKind::Feedback { .. } => match card.next {
            Some(mode) => {
                let label = wording::next_button_label(lang, mode);
                let id = ButtonId::Next(mode).encode();
                vec![
                    button(&label, &id, mode.key())
                        .with_style(SlackBlockButtonStyle::Primary)
                        .into(),
                ]
            }
            None => Vec::new(),
        },
        CardKind::Reveal {
            round: Some(round), ..
        } => {
            let label = wording::pin_button_label(lang);
            vec![button(&label, &ButtonId::Pin(*round).encode(), "pin").into()]
        }
        _ => Vec::new(),
    }
}

/// Checkboxes, one per letter (each option's value is that letter's answer id), and a
/// submit button whose value is how many to pick.
fn pick_controls(
    target: &AnswerTarget,
    choices: usize,
    picks: usize,
    lang: Lang,
) -> Vec<SlackActionBlockElement> {
    let options: Vec<SlackBlockChoiceItem<SlackBlockText>> = (0..choices)
        .filter_map(|i| {
            let letters = Letters::single(i)?;
            let id = ButtonId::Answer {
                target: target.clone(),
                letters,
            };
            Some(SlackBlockChoiceItem::new(
                SlackBlockPlainText::new(letters.to_string()).into(),
                id.encode(),
            ))
        })
        .collect();
    let checkboxes = SlackBlockCheckboxesElement::new(options).with_action_id(PICK_ACTION.into());
    let submit = button(
        &wording::submit_button_label(lang),
        SUBMIT_ACTION,
        &picks.to_string(),
    )
    .with_style(SlackBlockButtonStyle::Primary);
    vec![checkboxes.into(), submit.into()]
}

fn button(label: &str, action_id: &str, value: &str) -> SlackBlockButtonElement {
    SlackBlockButtonElement::new(SlackBlockPlainTextOnly::from(fit(label, BUTTON_TEXT)))
        .with_action_id(action_id.into())
        .with_value(value.to_owned())
}

fn section(mrkdwn: String) -> SlackBlock {
    SlackSectionBlock::new()
        .with_text(SlackBlockMarkDownText::new(mrkdwn).into())
        .into()
}

/// Plain text as mrkdwn sections of at most `SECTION_TEXT` characters each.
fn sections(text: &str) -> Vec<SlackBlock> {
    sections_escaped(&escape(text))
}

/// Already-escaped mrkdwn as sections: split at line ends, then at spaces, and only a
/// single word longer than a section is cut (with a visible `…`).
fn sections_escaped(text: &str) -> Vec<SlackBlock> {
    split(text, SECTION_TEXT).into_iter().map(section).collect()
}

/// Escapes the three characters mrkdwn reserves.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `fit`, then escape, keeping the escaped text within `max` (an entity is never cut).
fn fit_escaped(text: &str, max: usize) -> String {
    let mut limit = max;
    loop {
        let escaped = escape(&fit(text, limit));
        let len = escaped.chars().count();
        if len <= max || limit == 0 {
            return escaped;
        }
        limit = limit.saturating_sub(len - max).min(limit - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_stays_within_the_limit_and_entities_stay_whole() {
        let text = "a<b & c>d ".repeat(100);
        let out = fit_escaped(&text, 100);
        assert!(out.chars().count() <= 100, "{out}");
        assert!(!out.contains("&a…") && !out.contains("&l…"), "{out}");
        assert_eq!(escape("<@U1> & co"), "&lt;@U1&gt; &amp; co");
    }
}
