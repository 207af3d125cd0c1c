//! Charts as plain SVG: horizontal bars (one per village or township, with the target as a dashed line) and
//! a line over months. No script and no canvas, so they render on the server, scale to a phone's width
//! and print as they show.

use leptos::prelude::*;

/// One bar: its label, its rate (percent) and whether it meets the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub met: Option<bool>,
}

const WIDTH: f64 = 320.0;
const LABEL: f64 = 92.0;
const ROW: f64 = 22.0;

/// Horizontal bars from 0 to `max` (at least 100%), with the target drawn across.
#[component]
pub fn BarChart(bars: Vec<Bar>, target: Option<f64>, #[prop(into)] title: String) -> impl IntoView {
    let max = bars.iter().filter_map(|b| b.value).fold(100.0_f64, f64::max);
    let plot = WIDTH - LABEL - 40.0;
    let x = move |v: f64| LABEL + plot * v / max;
    let height = ROW * bars.len() as f64 + 8.0;
    let label = title.clone();
    view! {
        <svg class="chart bars" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label data-testid="bar-chart">
            <title>{title}</title>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = 4.0 + i as f64 * ROW;
                let w = b.value.map_or(0.0, |v| x(v) - LABEL);
                let class = match b.met {
                    Some(true) => "bar met",
                    Some(false) => "bar unmet",
                    None => "bar",
                };
                let text = b.value.map_or("—".to_string(), |v| format!("{v:.1}%"));
                view! {
                    <text x=LABEL - 4.0 y=y + 14.0 text-anchor="end" class="label">{b.label}</text>
                    <rect x=LABEL y=y + 3.0 width=w.max(0.5) height=ROW - 8.0 class=class/>
                    <text x=LABEL + w + 3.0 y=y + 14.0 class="value">{text}</text>
                }
            }).collect_view()}
            {target.map(|t| view! {
                <line x1=x(t) x2=x(t) y1=0 y2=height class="target"/>
            })}
        </svg>
    }
}

/// Rates over months (`points`: label, rate); gaps where a month has no rate.
#[component]
pub fn LineChart(
    points: Vec<(String, Option<f64>)>,
    target: Option<f64>,
    #[prop(into)] title: String,
) -> impl IntoView {
    let (h, left, bottom, top) = (150.0, 30.0, 20.0, 8.0);
    let n = points.len().max(1) as f64;
    let step = (WIDTH - left - 8.0) / n;
    let x = move |i: usize| left + step * (i as f64 + 0.5);
    let y = move |v: f64| top + (h - top - bottom) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let path: String = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
        .collect::<Vec<_>>()
        .join(" ");
    let label = title.clone();
    view! {
        <svg class="chart line" viewBox=format!("0 0 {WIDTH} {h}") role="img" aria-label=label data-testid="line-chart">
            <title>{title}</title>
            {[0.0, 50.0, 100.0].map(|g| view! {
                <line x1=left x2=WIDTH - 4.0 y1=y(g) y2=y(g) class="grid"/>
                <text x=left - 3.0 y=y(g) + 3.0 text-anchor="end" class="label">{format!("{g:.0}")}</text>
            }).collect_view()}
            {target.map(|t| view! { <line x1=left x2=WIDTH - 4.0 y1=y(t) y2=y(t) class="target"/> })}
            <polyline points=path class="series"/>
            {points.into_iter().enumerate().map(|(i, (label, v))| view! {
                {v.map(|v| view! { <circle cx=x(i) cy=y(v) r="2.5" class="point"><title>{format!("{label}: {v:.1}%")}</title></circle> })}
                <text x=x(i) y=h - 6.0 text-anchor="middle" class="label">{label.rsplit('-').next().unwrap_or_default().to_string()}</text>
            }).collect_view()}
        </svg>
    }
}

/// One series of a trend chart: its name and (day, value) points, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(chrono::NaiveDate, f64)>,
}

/// Readings over time (blood pressure, glucose) on a fixed scale `min`–`max`, the days spaced by date, with
/// reference lines (`marks`, e.g. 140 and 90 mmHg) and the first and last day named below.
#[component]
pub fn TrendChart(
    series: Vec<Series>,
    marks: Vec<f64>,
    min: f64,
    max: f64,
    #[prop(into)] title: String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let (h, left, bottom, top) = (170.0, 30.0, 20.0, 8.0);
    let days: Vec<chrono::NaiveDate> = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
    let (first, last) = (days.iter().min().copied(), days.iter().max().copied());
    let span = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days().max(1) as f64,
        _ => 1.0,
    };
    let x = move |d: chrono::NaiveDate| {
        let from = first.map_or(0.0, |a| (d - a).num_days() as f64);
        left + 6.0 + (WIDTH - left - 18.0) * from / span
    };
    let y = move |v: f64| top + (h - top - bottom) * (1.0 - (v.clamp(min, max) - min) / (max - min));
    let label = title.clone();
    view! {
        <svg class="chart trend" viewBox=format!("0 0 {WIDTH} {h}") role="img" aria-label=label data-testid=testid>
            <title>{title}</title>
            {marks.into_iter().map(|m| view! {
                <line x1=left x2=WIDTH - 4.0 y1=y(m) y2=y(m) class="target"/>
                <text x=left - 3.0 y=y(m) + 3.0 text-anchor="end" class="label">{format!("{m}")}</text>
            }).collect_view()}
            {series.into_iter().enumerate().map(|(i, s)| {
                let path: String =
                    s.points.iter().map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v))).collect::<Vec<_>>().join(" ");
                let class = format!("series s{i}");
                let name = s.name.clone();
                view! {
                    <polyline points=path class=class.clone()/>
                    {s.points.into_iter().map(|(d, v)| view! {
                        <circle cx=x(d) cy=y(v) r="3" class=format!("point s{i}")><title>{format!("{name} {d}: {v}")}</title></circle>
                    }).collect_view()}
                }
            }).collect_view()}
            {first.map(|d| view! { <text x=left y=h - 5.0 class="label">{d.to_string()}</text> })}
            {last.filter(|l| Some(*l) != first).map(|d| view! { <text x=WIDTH - 4.0 y=h - 5.0 text-anchor="end" class="label">{d.to_string()}</text> })}
        </svg>
    }
}
