//! Cards as Discord messages: one embed and its components. The card decides what is shown;
//! this module only maps it onto an embed and keeps every piece inside Discord's limits
//! (cutting at a word with `quiz::fit`).
//!
//! Layout: the card's title as the embed title; the body, then the lettered options, as the
//! description; the card's fields as embed fields; the footer as the footer. Controls: one
//! button per letter (a select menu with `min_values = max_values = picks` for choose-N),
//! or a "next" button under private feedback.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};

use crate::bank::{Lang, Letters};
use crate::quiz::{AnswerTarget, ButtonId, Card, CardKind, fit, wording};

/// Discord's limits (reference/discord.md).
pub const TITLE: usize = 256;
pub const DESCRIPTION: usize = 4096;
pub const FIELDS: usize = 25;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FOOTER: usize = 2048;
pub const EMBED_TOTAL: usize = 6000;
pub const BUTTON_LABEL: usize = 80;
pub const CUSTOM_ID: usize = 100;
pub const SELECT_OPTIONS: usize = 25;
pub const OPTION_LABEL: usize = 100;
pub const PLACEHOLDER: usize = 150;
pub const BUTTONS_PER_ROW: usize = 5;

/// The custom id of a choose-N question's select menu; each option's value is a
/// [`ButtonId`] for one letter, read back together on submit.
pub const PICK_MENU: &str = "qb:pick";

/// One Discord message: an embed and its action rows.
#[derive(Debug, Clone)]
pub struct Message {
    pub embed: CreateEmbed,
    pub components: Vec<CreateActionRow>,
}

/// `text` (a member's or team's name) with Discord's markdown characters escaped, so it
/// shows as typed: never bold, a spoiler, a heading or a masked link.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '~'
                | '`'
                | '|'
                | '>'
                | '<'
                | '#'
                | '-'
                | '['
                | ']'
                | '('
                | ')'
                | '@'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The card as a message members can act on; `lang` is the reader's, for words on controls.
pub fn render(card: &Card, lang: Lang) -> Message {
    Message {
        embed: embed(card),
        components: controls(card, lang, false),
    }
}

/// A daily question after its reveal: the same message, its controls disabled.
pub fn render_closed(card: &Card, lang: Lang) -> Message {
    Message {
        embed: embed(card),
        components: controls(card, lang, true),
    }
}

/// The embed's text pieces, cut to their own limits and then, if the whole is still over
/// the embed total, the longest piece cut again until it fits.
struct Text {
    title: String,
    description: String,
    fields: Vec<(String, String)>,
    footer: Option<String>,
}

impl Text {
    fn of(card: &Card) -> Self {
        let mut description = card.body.clone();
        for (i, choice) in card.choices.iter().enumerate() {
            description.push_str(&format!("\n\n**{})** {choice}", Letters::letter(i)));
        }
        let mut text = Text {
            title: fit(&card.title, TITLE),
            description: fit(description.trim(), DESCRIPTION),
            fields: card
                .fields
                .iter()
                .take(FIELDS)
                .map(|f| {
                    (
                        fit(&f.name, FIELD_NAME),
                        fit(non_empty(&f.value), FIELD_VALUE),
                    )
                })
                .collect(),
            footer: card.footer.as_deref().map(|f| fit(f, FOOTER)),
        };
        text.fit_total();
        text
    }

    fn total(&self) -> usize {
        let count = |s: &str| s.chars().count();
        count(&self.title)
            + count(&self.description)
            + self
                .fields
                .iter()
                .map(|(n, v)| count(n) + count(v))
                .sum::<usize>()
            + self.footer.as_deref().map_or(0, count)
    }

    /// Over the embed total, what gives way first: long field values (down to a short
    /// summary each), then whole fields from the end, then the footer, then the
    /// description; the question itself is the last thing to lose.
    fn fit_total(&mut self) {
        const SUMMARY: usize = 200;
        while let Some(excess) = self.excess() {
            let Some((_, value)) = self
                .fields
                .iter_mut()
                .filter(|(_, v)| v.chars().count() > SUMMARY)
                .max_by_key(|(_, v)| v.chars().count())
            else {
                break;
            };
            let len = value.chars().count();
            *value = fit(value, len.saturating_sub(excess + 16).max(SUMMARY));
        }
        while self.excess().is_some() && self.fields.pop().is_some() {}
        if let (Some(excess), Some(footer)) = (self.excess(), self.footer.as_mut()) {
            let len = footer.chars().count();
            *footer = fit(footer, len.saturating_sub(excess + 16).max(16));
        }
        if let Some(excess) = self.excess() {
            let len = self.description.chars().count();
            self.description = fit(&self.description, len.saturating_sub(excess + 16).max(1));
        }
    }

    /// How far over the embed total the text is, if it is.
    fn excess(&self) -> Option<usize> {
        self.total().checked_sub(EMBED_TOTAL).filter(|&n| n > 0)
    }
}

/// Discord refuses empty field values.
fn non_empty(value: &str) -> &str {
    if value.trim().is_empty() {
        "—"
    } else {
        value
    }
}

fn embed(card: &Card) -> CreateEmbed {
    let text = Text::of(card);
    let mut embed = CreateEmbed::new()
        .title(text.title)
        .description(text.description)
        .colour(colour(&card.kind));
    for (name, value) in text.fields {
        embed = embed.field(name, value, false);
    }
    if let Some(footer) = text.footer {
        embed = embed.footer(CreateEmbedFooter::new(footer));
    }
    embed
}

fn colour(kind: &CardKind) -> u32 {
    match kind {
        CardKind::Question { .. } => 0x3B82F6,
        CardKind::Feedback { correct: true, .. } | CardKind::Receipt => 0x22C55E,
        CardKind::Feedback { correct: false, .. } | CardKind::Error => 0xEF4444,
        CardKind::Reveal { .. } | CardKind::Leaderboard { .. } => 0xF59E0B,
        CardKind::Stats | CardKind::Info => 0x64748B,
    }
}

fn controls(card: &Card, lang: Lang, closed: bool) -> Vec<CreateActionRow> {
    match &card.kind {
        CardKind::Question { target, picks, .. } if *picks > 1 => {
            vec![pick_menu(target, &card.choices, *picks, lang, closed)]
        }
        CardKind::Question { target, .. } => letter_buttons(target, card.choices.len(), closed),
        CardKind::Feedback { .. } if !closed => card
            .next
            .map(|mode| {
                let label = fit(&wording::next_button_label(lang, mode), BUTTON_LABEL);
                let button = CreateButton::new(ButtonId::Next(mode).encode())
                    .label(label)
                    .style(ButtonStyle::Primary);
                vec![CreateActionRow::Buttons(vec![button])]
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// One button per letter, five to a row.
fn letter_buttons(target: &AnswerTarget, choices: usize, closed: bool) -> Vec<CreateActionRow> {
    let buttons: Vec<CreateButton> = (0..choices)
        .filter_map(Letters::single)
        .map(|letters| {
            let id = ButtonId::Answer {
                target: target.clone(),
                letters,
            };
            CreateButton::new(id.encode())
                .label(letters.to_string())
                .style(ButtonStyle::Secondary)
                .disabled(closed)
        })
        .collect();
    buttons
        .chunks(BUTTONS_PER_ROW)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// A select menu whose options are the letters (labelled with the start of each choice).
fn pick_menu(
    target: &AnswerTarget,
    choices: &[String],
    picks: usize,
    lang: Lang,
    closed: bool,
) -> CreateActionRow {
    let options: Vec<CreateSelectMenuOption> = choices
        .iter()
        .enumerate()
        .take(SELECT_OPTIONS)
        .filter_map(|(i, choice)| {
            let letters = Letters::single(i)?;
            let id = ButtonId::Answer {
                target: target.clone(),
                letters,
            };
            let label = fit(&format!("{letters}) {choice}"), OPTION_LABEL);
            Some(CreateSelectMenuOption::new(label, id.encode()))
        })
        .collect();
    let picks = u8::try_from(picks.min(options.len())).unwrap_or(1);
    let menu = CreateSelectMenu::new(PICK_MENU, CreateSelectMenuKind::String { options })
        .placeholder(fit(
            &wording::pick_placeholder(lang, picks.into()),
            PLACEHOLDER,
        ))
        .min_values(picks)
        .max_values(picks)
        .disabled(closed);
    CreateActionRow::SelectMenu(menu)
}
