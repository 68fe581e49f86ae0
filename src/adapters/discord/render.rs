//! Cards as Discord messages: an embed and its components, in as many messages as the card
//! needs. The card decides what is shown; this module only maps it onto embeds and keeps
//! every piece inside Discord's limits without losing any of it.
//!
//! Layout: the card's title as the embed title; the body, then the lettered options, as the
//! description; each of the card's fields as embed fields, a long one continued over as
//! many fields as it needs (at line ends, so an option and its explanation stay together);
//! the footer as the footer. When the fields do not fit one message (6,000 characters, 25
//! fields), they go on in follow-up messages, the footer and the controls on the last.
//! Only text that cannot fit at all (a description over 4,096 characters, which the bank's
//! limits rule out, or a card past [`crate::adapters::pages::MAX_MESSAGES`]) is cut at a word, with a visible `…`.
//!
//! Controls: one button per letter (a select menu with `min_values = max_values = picks`
//! for choose-N), a "next" button under private feedback, or the 📌 meetup pick under a
//! reveal.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAttachment, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInputText, CreateModal, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
    InputTextStyle,
};

use crate::adapters::pages::paginate;
use crate::bank::{Lang, Letters};
use crate::quiz::report::COMMENT_MAX;
use crate::quiz::{AnswerTarget, ButtonId, Card, CardKind, ReportButton, fit, split, wording};

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

/// The name of a field that continues the one before it (Discord needs a name; this one
/// shows as nothing).
pub const CONTINUED: &str = "\u{200b}";

/// The custom id of a choose-N question's select menu; each option's value is a
/// [`ButtonId`] for one letter, read back together on submit.
pub const PICK_MENU: &str = "qb:pick";

/// One Discord message: an embed, its action rows, and files (set by the caller).
#[derive(Debug, Clone)]
pub struct Message {
    pub embed: CreateEmbed,
    pub components: Vec<CreateActionRow>,
    pub files: Vec<CreateAttachment>,
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

/// The card as messages members can act on (the controls on the last); `lang` is the
/// reader's, for words on controls. Most cards are one message.
pub fn render(card: &Card, lang: Lang) -> Vec<Message> {
    messages(card, controls(card, lang, false))
}

/// A daily question after its reveal: the same messages, the controls disabled.
pub fn render_closed(card: &Card, lang: Lang) -> Vec<Message> {
    messages(card, controls(card, lang, true))
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// One embed's text; only the first has a title and description.
#[derive(Default)]
struct Page {
    title: Option<String>,
    description: Option<String>,
    fields: Vec<(String, String)>,
    footer: Option<String>,
}

impl Page {
    fn embed(self, kind: &CardKind) -> CreateEmbed {
        let mut embed = CreateEmbed::new().colour(colour(kind));
        if let Some(title) = self.title {
            embed = embed.title(title);
        }
        if let Some(description) = self.description {
            embed = embed.description(description);
        }
        for (name, value) in self.fields {
            embed = embed.field(name, value, false);
        }
        if let Some(footer) = self.footer {
            embed = embed.footer(CreateEmbedFooter::new(footer));
        }
        embed
    }
}

/// The card's text laid out over one embed per message.
fn pages(card: &Card) -> Vec<Page> {
    let mut description = card.body.clone();
    for (i, choice) in card.choices.iter().enumerate() {
        description.push_str(&format!("\n\n**{})** {choice}", Letters::letter(i)));
    }
    let title = fit(&card.title, TITLE);
    let description = fit(description.trim(), DESCRIPTION);
    let head = chars(&title) + chars(&description);
    let footer = card
        .footer
        .as_deref()
        .map(|f| fit(f, FOOTER.min(EMBED_TOTAL - head)));
    // Every page keeps room for the footer, which goes on whichever page is last.
    let reserve = footer.as_deref().map_or(0, chars);
    let fields: Vec<(String, String)> = card
        .fields
        .iter()
        .flat_map(|f| {
            let value = if f.value.trim().is_empty() {
                "—"
            } else {
                &f.value
            };
            let name = fit(&f.name, FIELD_NAME);
            split(value, FIELD_VALUE)
                .into_iter()
                .enumerate()
                .map(move |(i, part)| {
                    let name = if i == 0 {
                        name.clone()
                    } else {
                        CONTINUED.into()
                    };
                    (name, part)
                })
        })
        .collect();
    let room = EMBED_TOTAL - reserve;
    let (groups, cut) = paginate(
        fields,
        |(n, v)| chars(n) + chars(v),
        room.saturating_sub(head),
        room,
        FIELDS,
    );
    let mut pages: Vec<Page> = groups
        .into_iter()
        .map(|fields| Page {
            fields,
            ..Page::default()
        })
        .collect();
    if cut {
        // Past every message: say so where the text stops.
        if let Some((_, value)) = pages.last_mut().and_then(|p| p.fields.last_mut()) {
            *value = fit(&format!("{value}…"), chars(value));
        }
    }
    let first = &mut pages[0];
    first.title = Some(title);
    first.description = Some(description);
    if let Some(last) = pages.last_mut() {
        last.footer = footer;
    }
    pages
}

fn messages(card: &Card, components: Vec<CreateActionRow>) -> Vec<Message> {
    let pages = pages(card);
    let last = pages.len() - 1;
    pages
        .into_iter()
        .enumerate()
        .map(|(i, page)| Message {
            embed: page.embed(&card.kind),
            components: if i == last {
                components.clone()
            } else {
                Vec::new()
            },
            files: Vec::new(),
        })
        .collect()
}

fn colour(kind: &CardKind) -> u32 {
    match kind {
        CardKind::Question { .. } => 0x3B82F6,
        CardKind::Feedback { correct: true, .. } | CardKind::Receipt => 0x22C55E,
        CardKind::Feedback { correct: false, .. } | CardKind::Error => 0xEF4444,
        CardKind::Reveal { .. } | CardKind::Leaderboard { .. } | CardKind::Recap => 0xF59E0B,
        CardKind::Stats | CardKind::Info => 0x64748B,
    }
}

fn controls(card: &Card, lang: Lang, closed: bool) -> Vec<CreateActionRow> {
    let mut rows = kind_controls(card, lang, closed);
    if let Some(report) = card.report.as_ref().filter(|_| !closed) {
        rows.push(report_row(report, lang));
    }
    rows
}

/// The 🚩 button on its own row: it opens the report form ([`report_form`]).
fn report_row(report: &ReportButton, lang: Lang) -> CreateActionRow {
    let label = fit(&wording::report_button_label(lang), BUTTON_LABEL);
    let button = CreateButton::new(report.encode())
        .label(label)
        .style(ButtonStyle::Secondary);
    CreateActionRow::Buttons(vec![button])
}

/// Discord's limits on a modal (reference/discord-openapi.json).
pub const MODAL_TITLE: usize = 45;
pub const INPUT_LABEL: usize = 45;
pub const INPUT_PLACEHOLDER: usize = 100;
/// The ids of the report form's two text inputs.
pub const REASON_INPUT: &str = "reason";
pub const COMMENT_INPUT: &str = "comment";

/// The report form: the reason typed in a short text box (serenity 0.12 builds no select
/// menus inside modals), the comment in a paragraph of at most [`COMMENT_MAX`] characters.
pub fn report_form(report: &ReportButton, lang: Lang) -> CreateModal {
    let reason = CreateInputText::new(
        InputTextStyle::Short,
        fit(&wording::report_reason_label(lang), INPUT_LABEL),
        REASON_INPUT,
    )
    .placeholder(fit(
        &wording::report_reason_placeholder(lang),
        INPUT_PLACEHOLDER,
    ))
    .max_length(20)
    .required(true);
    let comment = CreateInputText::new(
        InputTextStyle::Paragraph,
        fit(&wording::report_comment_label(lang), INPUT_LABEL),
        COMMENT_INPUT,
    )
    .placeholder(fit(
        &wording::report_comment_placeholder(lang),
        INPUT_PLACEHOLDER,
    ))
    .max_length(u16::try_from(COMMENT_MAX).unwrap_or(500))
    .required(false);
    CreateModal::new(
        report.encode(),
        fit(&wording::report_form_title(lang), MODAL_TITLE),
    )
    .components(vec![
        CreateActionRow::InputText(reason),
        CreateActionRow::InputText(comment),
    ])
}

fn kind_controls(card: &Card, lang: Lang, closed: bool) -> Vec<CreateActionRow> {
    match &card.kind {
        CardKind::Question { target, picks, .. } => {
            let mut rows = if *picks > 1 {
                vec![pick_menu(target, &card.choices, *picks, lang, closed)]
            } else {
                letter_buttons(target, card.choices.len(), closed)
            };
            if !closed {
                rows.push(unsure_toggle(target, lang));
            }
            rows
        }
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
        CardKind::Reveal {
            round: Some(round), ..
        } if !closed => {
            let label = fit(&wording::pin_button_label(lang), BUTTON_LABEL);
            let button = CreateButton::new(ButtonId::Pin(*round).encode())
                .label(label)
                .style(ButtonStyle::Secondary);
            vec![CreateActionRow::Buttons(vec![button])]
        }
        _ => Vec::new(),
    }
}

/// The unsure toggle, on its own row under the answer controls.
fn unsure_toggle(target: &AnswerTarget, lang: Lang) -> CreateActionRow {
    let label = fit(&wording::unsure_button_label(lang), BUTTON_LABEL);
    let button = CreateButton::new(ButtonId::Unsure(target.clone()).encode())
        .label(label)
        .style(ButtonStyle::Secondary);
    CreateActionRow::Buttons(vec![button])
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
