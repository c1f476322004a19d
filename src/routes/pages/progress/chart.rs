//! The trend chart of the progress page, drawn as SVG on the server.
use crate::learning::mastery::{Bucket, TrendPoint};

/// One line of the trend chart.
pub(super) struct Series {
    pub(super) name: String,
    pub(super) colour: &'static str,
    pub(super) points: String,
    pub(super) width: f64,
}

const COLOURS: [&str; 6] = ["#c2410c", "#0f766e", "#7c3aed", "#b91c1c", "#1d4ed8", "#4d7c0f"];
/// Chart geometry (SVG user units): plot area inside margins.
const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (W - LEFT - RIGHT) / 2.0
    } else {
        LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
    }
}

fn y_of(value: f64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - value.clamp(0.0, 1.0))
}

/// A day of the trend ("Nov 28", "Dec 30, 2025" in another year), or the week it starts.
pub(super) fn day_label(millis: i64, bucket: Bucket) -> String {
    let base = chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| crate::routes::pages::day(t.date_naive(), crate::routes::pages::this_year()))
        .unwrap_or_default();
    match bucket {
        Bucket::Day => base,
        Bucket::Week => format!("week of {base}"),
    }
}

pub(super) fn chart(
    trend: &[TrendPoint],
    names: &[(String, String)],
    bucket: Bucket,
) -> (Vec<Series>, Vec<(f64, String)>) {
    let n = trend.len();
    let line = |values: Vec<Option<f64>>| -> String {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x_of(i, n), y_of(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut series = vec![Series {
        name: "All topics".into(),
        colour: "#1d2430",
        points: line(trend.iter().map(|t| Some(t.overall)).collect()),
        width: 3.0,
    }];
    for (k, (id, name)) in names.iter().enumerate() {
        series.push(Series {
            name: name.clone(),
            colour: COLOURS[k % COLOURS.len()],
            points: line(trend.iter().map(|t| t.topics.get(id).copied()).collect()),
            width: 1.5,
        });
    }
    let mut labels = Vec::new();
    for i in [0, n / 2, n.saturating_sub(1)] {
        if let Some(t) = trend.get(i) {
            if !labels.iter().any(|(x, _): &(f64, String)| (*x - x_of(i, n)).abs() < 1.0) {
                labels.push((x_of(i, n), day_label(t.start, bucket)));
            }
        }
    }
    (series, labels)
}
