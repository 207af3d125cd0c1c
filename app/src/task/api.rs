//! The task engine on the server: the same rules over the database, for the township and county views and
//! for staff who work without the phone's copy. `tasks_in` is the function later views call.

use super::TaskRow;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// The open tasks (overdue, due, or due within 7 days) of one village of the user's, or of all of them.
#[server(input = Json, prefix = "/api", endpoint = "village_tasks")]
pub async fn village_tasks(village_id: Option<String>) -> Result<Vec<TaskRow>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let villages = match village_id {
                Some(v) => {
                    check_village(&user, &v)?;
                    vec![v]
                }
                None => user.village_ids(),
            };
            let today = chrono::Local::now().date_naive();
            let rows = tasks_in(store()?.as_ref(), &villages, &user, today).await?;
            let rows: Vec<TaskRow> =
                rows.into_iter().filter(|r| r.task.standing(today) != super::Standing::Later).collect();
            let e =
                crate::audit::Event::list("residents", villages.first().cloned(), format!("tasks n={}", rows.len()));
            crate::audit::server::log(&user, vec![e]).await?;
            Ok(rows)
        }
        .await,
    )
}

/// Every task of the residents of `villages` on `today`, in the Today order: the villages' data is read as
/// a phone would pull it and the phone's engine runs over it, so both sides always agree.
#[cfg(feature = "ssr")]
pub async fn tasks_in(
    store: &dyn crate::store::Store,
    villages: &[String],
    user: &crate::auth::SessionUser,
    today: chrono::NaiveDate,
) -> Result<Vec<TaskRow>, AppError> {
    Ok(local_copy(store, villages).await?.tasks(user, today))
}

/// The villages' data as a phone holds it after its first sync.
#[cfg(feature = "ssr")]
pub async fn local_copy(
    store: &dyn crate::store::Store,
    villages: &[String],
) -> Result<crate::local::LocalData, AppError> {
    use crate::sync::core::{apply_pull, LocalStore};
    use crate::sync::{Change, PullResponse, MAX_PULL_PAGE, PROTOCOL};
    let mut data = crate::local::LocalData::default();
    loop {
        let page = store.pull(villages, data.cursor(), MAX_PULL_PAGE).await?;
        let changes = page
            .changes
            .iter()
            .map(|c| serde_json::from_str::<Change>(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::internal("stored change", e))?;
        let more = page.more;
        apply_pull(&mut data, &PullResponse { protocol: PROTOCOL, changes, next_cursor: page.next_cursor, more });
        if !more {
            break;
        }
    }
    Ok(data)
}
