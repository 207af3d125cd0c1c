//! Views of the resident registry: the searchable list, one resident's page, and the add/edit form.

mod detail;
mod form;
mod list;

pub use detail::{id_param, ResidentDetailPage};
pub use form::{ResidentEditPage, ResidentNewPage};
pub use list::ResidentListPage;

use super::KeyFlag;
use leptos::prelude::*;

/// Badges of key-population flags.
#[component]
pub fn FlagBadges(flags: Vec<KeyFlag>, zh: RwSignal<bool>) -> impl IntoView {
    flags
        .into_iter()
        .map(|f| view! { <span class=format!("badge flag-{}", f.code().to_lowercase())>{move || f.label(zh.get())}</span> })
        .collect_view()
}
