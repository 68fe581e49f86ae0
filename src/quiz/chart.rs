//! The readiness picture: a PNG bar chart of the 14 task statements, two bars each (first-try
//! accuracy, predicted recall on exam day), grouped by domain, with a legend and the overall
//! figure and exam date in the title. It draws the [`Readiness`] the text card shows, so the
//! two never disagree.
//!
//! Plain Rust: tiny-skia fills the shapes and encodes the PNG, ab_glyph draws the labels with
//! the font shipped in `assets/fonts` (a subset of NanumGothic under the SIL OFL), so Korean
//! titles render as Korean on every platform. The size is fixed ([`WIDTH`] × [`HEIGHT`]):
//! every chart has the same 4 domains and 14 task statements.

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont as _, point};
use tiny_skia::{Color, Paint, Pixmap, PremultipliedColorU8, Rect, Transform};

use super::readiness::{Part, Readiness};
use super::wording;
use crate::bank::{Domain, Lang, TaskStatement};

/// The shipped font: ASCII, every Hangul syllable and the punctuation the labels use.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/QuizbotChartSans-Regular.ttf");

pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = TOP + DOMAIN_ROWS * DOMAIN_ROW + TASK_ROWS * TASK_ROW + BOTTOM;

const MARGIN: f32 = 32.0;
/// Title, subtitle, legend and the axis labels.
const TOP: u32 = 168;
const DOMAIN_ROWS: u32 = 4;
const DOMAIN_ROW: u32 = 34;
const TASK_ROWS: u32 = 14;
const TASK_ROW: u32 = 60;
const BOTTOM: u32 = 28;
/// Room right of a full bar for its percentage.
const VALUE_ROOM: f32 = 56.0;
const BAR: f32 = 13.0;

const INK: Rgb = Rgb(0x1F, 0x29, 0x37);
const MUTED: Rgb = Rgb(0x64, 0x74, 0x8B);
const GRID: Rgb = Rgb(0xE2, 0xE8, 0xF0);
const TRACK: Rgb = Rgb(0xF1, 0xF5, 0xF9);
const ACCURACY: Rgb = Rgb(0x3B, 0x82, 0xF6);
const RECALL: Rgb = Rgb(0xF5, 0x9E, 0x0B);

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart font cannot be read: {0}")]
    Font(#[from] ab_glyph::InvalidFont),
    #[error("the chart canvas cannot be made")]
    Canvas,
    #[error("the chart cannot be encoded as PNG: {0}")]
    Encode(String),
}

#[derive(Clone, Copy)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.0, self.1, self.2, 255);
        paint.anti_alias = true;
        paint
    }
}

/// Every text the chart can draw in `lang` other than numbers: for the font test.
pub fn labels(lang: Lang) -> Vec<String> {
    let w = wording::chart_text(lang);
    let mut labels = vec![w.subtitle, w.accuracy, w.recall, w.not_seen];
    labels.push(wording::chart_title(lang, 0.42, "2027-02-15", true));
    labels.push(wording::chart_title(lang, 0.42, "2027-02-15", false));
    labels.push(wording::chart_seen(lang, 12, 345));
    labels.extend(Domain::ALL.iter().map(|d| wording::domain_title(lang, *d)));
    labels.extend(TaskStatement::all().map(|t| format!("{} {}", t.code(), t.title(lang))));
    labels.push("0% 25% 50% 75% 100% –".to_owned());
    labels
}

/// The chart of `readiness`, in `lang`, as PNG bytes.
pub fn draw(readiness: &Readiness, lang: Lang) -> Result<Vec<u8>, ChartError> {
    let font = FontRef::try_from_slice(FONT)?;
    let mut canvas = Canvas {
        pixmap: Pixmap::new(WIDTH, HEIGHT).ok_or(ChartError::Canvas)?,
        font,
    };
    canvas.pixmap.fill(Color::WHITE);
    let w = wording::chart_text(lang);
    let width = WIDTH as f32;
    let inner = width - 2.0 * MARGIN;

    let title = wording::chart_title(
        lang,
        readiness.overall,
        &readiness.exam.to_string(),
        readiness.exam_set,
    );
    canvas.text(&title, MARGIN, 48.0, 26.0, inner, INK);
    canvas.text(&w.subtitle, MARGIN, 78.0, 15.0, inner, MUTED);

    // The legend.
    let mut x = MARGIN;
    for (label, colour) in [(&w.accuracy, ACCURACY), (&w.recall, RECALL)] {
        canvas.rect(x, 98.0, 16.0, 16.0, colour);
        let used = canvas.text(label, x + 24.0, 112.0, 15.0, inner / 2.0, INK);
        x += 24.0 + used + 32.0;
    }

    // The axis, 0 to 100 %; each bar's track shows the quarters.
    let (left, right) = (MARGIN, width - MARGIN - VALUE_ROOM);
    let axis = TOP as f32 - 20.0;
    canvas.rect(left, axis + 6.0, right - left, 1.0, GRID);
    for step in 0..=4u8 {
        let share = f32::from(step) / 4.0;
        let gx = left + share * (right - left);
        canvas.rect(gx, axis + 2.0, 1.0, 9.0, GRID);
        let label = format!("{}%", u32::from(step) * 25);
        let lw = canvas.measure(&label, 12.0);
        let lx = (gx - lw / 2.0).max(left);
        canvas.text(&label, lx, axis - 2.0, 12.0, 60.0, MUTED);
    }

    let mut y = TOP as f32;
    for domain in Domain::ALL {
        let heading = wording::domain_title(lang, domain);
        canvas.text(&heading, MARGIN, y + 23.0, 16.0, inner, INK);
        canvas.text(&heading, MARGIN + 0.6, y + 23.0, 16.0, inner, INK);
        y += DOMAIN_ROW as f32;
        let tasks: Vec<TaskStatement> = TaskStatement::all()
            .filter(|t| t.domain() == domain)
            .collect();
        for task in &tasks {
            let part = readiness.tasks.get(task);
            canvas.task(&w, lang, *task, part, y, (left, right));
            y += TASK_ROW as f32;
        }
        canvas.rect(MARGIN, y - 4.0, inner, 1.0, GRID);
    }

    encode(&canvas.pixmap).map_err(|e| ChartError::Encode(e.to_string()))
}

/// The canvas as an opaque RGB PNG, compressed for speed: the chart is flat colour, so fast
/// compression stays small, and the request does not wait on a thorough one.
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| [p.red(), p.green(), p.blue()])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::Sub);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

struct Canvas<'f> {
    pixmap: Pixmap,
    font: FontRef<'f>,
}

impl Canvas<'_> {
    /// One task statement: its label and seen count, then the two bars with their values.
    fn task(
        &mut self,
        w: &wording::ChartText,
        lang: Lang,
        task: TaskStatement,
        part: Option<&Part>,
        y: f32,
        (left, right): (f32, f32),
    ) {
        let label = format!("{} {}", task.code(), task.title(lang));
        let seen = part.map_or_else(
            || wording::chart_seen(lang, 0, 0),
            |p| wording::chart_seen(lang, p.seen, p.available),
        );
        let seen_width = self.measure(&seen, 13.0);
        let label_room = (right + VALUE_ROOM) - left - seen_width - 16.0;
        self.text(&label, left, y + 16.0, 15.0, label_room, INK);
        let seen_x = right + VALUE_ROOM - seen_width;
        self.text(&seen, seen_x, y + 16.0, 13.0, seen_width + 1.0, MUTED);

        let first_try = part.and_then(|p| p.first_try);
        let recall = part.map(|p| p.recall);
        let bars = [
            (y + 24.0, first_try, ACCURACY),
            (y + 24.0 + BAR + 4.0, recall, RECALL),
        ];
        for (top, value, colour) in bars {
            self.rect(left, top, right - left, BAR, TRACK);
            for quarter in 1..4u8 {
                let gx = left + f32::from(quarter) / 4.0 * (right - left);
                self.rect(gx, top, 1.0, BAR, GRID);
            }
            let text = match value {
                Some(share) => {
                    let share = share.clamp(0.0, 1.0);
                    let length = (right - left) * share as f32;
                    if length >= 1.0 {
                        self.rect(left, top, length, BAR, colour);
                    }
                    let text = format!("{:.0}%", share * 100.0);
                    self.text(&text, left + length + 6.0, top + BAR - 2.0, 12.0, 60.0, INK);
                    continue;
                }
                None => w.not_seen.clone(),
            };
            self.text(
                &text,
                left + 6.0,
                top + BAR - 2.0,
                12.0,
                right - left,
                MUTED,
            );
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Rgb) {
        if let Some(rect) = Rect::from_xywh(x, y, w, h) {
            self.pixmap
                .fill_rect(rect, &colour.paint(), Transform::identity(), None);
        }
    }

    /// The width of `text` at `size` pixels.
    fn measure(&self, text: &str, size: f32) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let mut width = 0.0;
        let mut last = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(prev) = last {
                width += scaled.kern(prev, id);
            }
            width += scaled.h_advance(id);
            last = Some(id);
        }
        width
    }

    /// Draws `text` with its baseline at `y`, within `room` pixels: smaller (down to 80 %)
    /// if it does not fit, then cut with `…`. Returns the width drawn.
    fn text(&mut self, text: &str, x: f32, y: f32, size: f32, room: f32, colour: Rgb) -> f32 {
        let mut size = size;
        let smallest = size * 0.8;
        while self.measure(text, size) > room && size > smallest {
            size -= 0.5;
        }
        let mut shown = text.to_owned();
        if self.measure(&shown, size) > room {
            let mut chars: Vec<char> = text.chars().collect();
            while !chars.is_empty() {
                chars.pop();
                shown = format!("{}…", chars.iter().collect::<String>().trim_end());
                if self.measure(&shown, size) <= room {
                    break;
                }
            }
        }
        self.glyphs(&shown, x, y, size, colour);
        self.measure(&shown, size)
    }

    fn glyphs(&mut self, text: &str, x: f32, y: f32, size: f32, colour: Rgb) {
        let scale = PxScale::from(size);
        let scaled = self.font.as_scaled(scale);
        let (width, height) = (self.pixmap.width(), self.pixmap.height());
        let mut caret = x;
        let mut last = None;
        let mut outlines = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(prev) = last {
                caret += scaled.kern(prev, id);
            }
            let glyph = id.with_scale_and_position(scale, point(caret, y));
            caret += scaled.h_advance(id);
            last = Some(id);
            if let Some(outline) = self.font.outline_glyph(glyph) {
                outlines.push(outline);
            }
        }
        let pixels = self.pixmap.pixels_mut();
        for outline in outlines {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= i64::from(width) || py >= i64::from(height) {
                    return;
                }
                let Ok(at) = usize::try_from(py * i64::from(width) + px) else {
                    return;
                };
                if let Some(pixel) = pixels.get_mut(at) {
                    *pixel = blend(*pixel, colour, coverage.clamp(0.0, 1.0));
                }
            });
        }
    }
}

/// `colour` over an opaque pixel at `coverage`.
fn blend(under: PremultipliedColorU8, colour: Rgb, coverage: f32) -> PremultipliedColorU8 {
    let mix = |top: u8, bottom: u8| {
        (f32::from(top) * coverage + f32::from(bottom) * (1.0 - coverage)).round() as u8
    };
    PremultipliedColorU8::from_rgba(
        mix(colour.0, under.red()),
        mix(colour.1, under.green()),
        mix(colour.2, under.blue()),
        255,
    )
    .unwrap_or(under)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_the_chart_draws_has_a_glyph_in_the_shipped_font() {
        let font = FontRef::try_from_slice(FONT).unwrap();
        for lang in [Lang::En, Lang::Ko] {
            for label in labels(lang) {
                for c in label.chars().filter(|c| *c != ' ') {
                    assert_ne!(
                        font.glyph_id(c).0,
                        0,
                        "no glyph for {c:?} (U+{:04X}) in {label:?}",
                        u32::from(c)
                    );
                }
            }
        }
        // The ellipsis a cut label ends with, and digits.
        for c in "…0123456789%".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "{c:?}");
        }
    }

    #[test]
    fn the_shipped_font_stays_small() {
        assert!(FONT.len() < 2_000_000, "{} bytes", FONT.len());
    }
}
