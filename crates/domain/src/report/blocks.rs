//! The report as a list of format-neutral blocks; `html` and `markdown` render them.

use super::svg::{Bar, HeatCell, RadarAxis};

/// A chart (rendered as inline SVG in HTML, as text in Markdown).
pub(crate) enum Chart {
    Radar(Vec<RadarAxis>),
    Heat(Vec<(String, Vec<HeatCell>)>),
    Bars(Vec<Bar>),
    /// (period label, value 0..=1).
    Line(Vec<(String, Option<f64>)>),
}

/// One block of a report.
pub(crate) enum Block {
    /// Section heading (level 2 or 3).
    Heading(u8, String),
    /// A paragraph of plain text.
    Para(String),
    /// A highlighted note (e.g. "this is an estimate from a model").
    Note(String),
    /// Headline figures: (label, value, detail).
    Kpis(Vec<(String, String, String)>),
    /// A chart with its title.
    Chart(String, Chart),
    /// A table: headers and rows of cells.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A bulleted list.
    List(Vec<String>),
}
