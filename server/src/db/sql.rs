//! Building statements: placeholders in the form each database wants, and reads of many rows.
//!
//! Two costs shape this module, both measured on the sync paths (docs/performance.md): SQLite binds numbered
//! parameters in O(n²) (hence anonymous `?`, numbered for PostgreSQL by `numbered`), and every row sqlx
//! hands over crosses a channel from its worker thread and is copied into an `AnyRow` (~10–25 µs a row), so
//! reads of thousands of rows ask the database for one JSON array of them instead (`fetch_json`).

use app::error::AppError;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Ids per `IN (…)` list, and the unit of the multi-row inserts: with anonymous parameters (see `numbered`)
/// binding is linear, and statements this size keep the round trips per batch few.
pub(crate) const IN_CHUNK: usize = 500;

/// Builds `$n, $n+1, …` placeholders for an IN list starting at parameter `first`.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `count` anonymous placeholders: `?, ?, …`.
pub(crate) fn marks(count: usize) -> String {
    let mut s = String::with_capacity(count * 3);
    for i in 0..count {
        s.push_str(if i == 0 { "?" } else { ", ?" });
    }
    s
}

/// A statement written with anonymous `?` parameters, as the connection's database wants it.
///
/// Why not `$n` everywhere: SQLite looks each numbered parameter (`$n`, `?NNN`) up by a linear scan of the
/// statement's parameter names, and sqlx does so for every parameter it binds, so a statement of n numbered
/// parameters binds in O(n²) (measured: binding 500 `$n` parameters cost more than inserting the 25 rows they
/// carried). Anonymous `?` bind in order at constant cost. PostgreSQL only knows `$n`, so there they are
/// numbered in order of appearance. The statements built here hold no `?` inside string literals.
pub(crate) fn numbered(conn: &sqlx::AnyConnection, sql: &str) -> String {
    if conn.backend_name() == "SQLite" {
        sql.to_string()
    } else {
        number_marks(sql)
    }
}

/// `?, ?` → `$1, $2`, in order of appearance.
fn number_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads the rows of `sql` for many ids: `{ids}` in `sql` stands for the placeholder list, and the query runs
/// once per `IN_CHUNK` ids. The one way this store reads "these many records".
pub(crate) async fn fetch_in(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    ids: &[String],
) -> Result<Vec<AnyRow>, AppError> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = numbered(conn, &sql.replace("{ids}", &marks(chunk.len())));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// `SELECT <columns> <rest>` asked as one JSON array of row arrays, `?` numbered for the connection. An
/// item `json(x)` in `columns` (items are separated by ", ") embeds a column that holds JSON text as JSON.
/// Aggregation happens before any ORDER BY or LIMIT in `rest`: put those in a subquery.
pub(crate) fn json_rows(conn: &sqlx::AnyConnection, columns: &str, rest: &str) -> String {
    numbered(conn, &json_rows_sql(conn.backend_name() == "SQLite", columns, rest))
}

fn json_rows_sql(sqlite: bool, columns: &str, rest: &str) -> String {
    if sqlite {
        return format!("SELECT json_group_array(json_array({columns})) {rest}");
    }
    let columns = columns
        .split(", ")
        .map(|c| match c.strip_prefix("json(").and_then(|c| c.strip_suffix(')')) {
            Some(inner) => format!("({inner})::json"),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("SELECT COALESCE(json_agg(json_build_array({columns}))::text, '[]') {rest}")
}

/// Runs a `json_rows` statement and decodes its rows into `T` (a tuple, or a struct with its fields in
/// column order).
pub(crate) async fn fetch_json<'q, T: DeserializeOwned>(
    conn: &mut sqlx::AnyConnection,
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> Result<Vec<T>, AppError> {
    let row = query.fetch_one(&mut *conn).await?;
    let text: String = row.try_get(0)?;
    serde_json::from_str(&text).map_err(|e| AppError::internal("json rows", e))
}

/// `fetch_json` for many ids: `{ids}` in `rest` stands for the placeholder list, one statement per
/// `IN_CHUNK` ids.
pub(crate) async fn fetch_json_in<T: DeserializeOwned>(
    conn: &mut sqlx::AnyConnection,
    columns: &str,
    rest: &str,
    ids: &[String],
) -> Result<Vec<T>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = json_rows(conn, columns, &rest.replace("{ids}", &marks(chunk.len())));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(fetch_json::<T>(conn, q).await?);
    }
    Ok(out)
}

/// Separates the values `fetch_concat_in` joins: JSON text never holds a raw control character, and ids
/// and dates are printable.
const RECORD_SEPARATOR: char = '\u{1e}';

/// Many text values, each `expr` (of non-null text) for one row of `rest`, read as one string joined by the
/// database: for large JSON values, whose escaping inside a JSON array (`fetch_json`) would cost more than
/// reading them. `{ids}` in `rest` stands for the placeholder list, one statement per `IN_CHUNK` ids.
pub(crate) async fn fetch_concat_in(
    conn: &mut sqlx::AnyConnection,
    expr: &str,
    rest: &str,
    ids: &[String],
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql =
            numbered(conn, &format!("SELECT string_agg({expr}, ?) {}", rest.replace("{ids}", &marks(chunk.len()))));
        let mut q = sqlx::query(&sql).bind(RECORD_SEPARATOR.to_string());
        for id in chunk {
            q = q.bind(id);
        }
        let joined: Option<String> = q.fetch_one(&mut *conn).await?.try_get(0)?;
        if let Some(joined) = joined {
            out.extend(joined.split(RECORD_SEPARATOR).map(str::to_string));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_from_first() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
    }

    #[test]
    fn anonymous_marks_are_numbered_in_order_for_postgres() {
        assert_eq!(marks(3), "?, ?, ?");
        assert_eq!(marks(0), "");
        let sql = format!("INSERT INTO t (a, b) VALUES (?, 'x', ?), ({})", marks(2));
        assert_eq!(number_marks(&sql), "INSERT INTO t (a, b) VALUES ($1, 'x', $2), ($3, $4)");
    }

    #[test]
    fn json_rows_aggregate_in_each_dialect() {
        assert_eq!(
            json_rows_sql(true, "a, json(b)", "FROM t"),
            "SELECT json_group_array(json_array(a, json(b))) FROM t"
        );
        assert_eq!(
            json_rows_sql(false, "a, json(b)", "FROM t"),
            "SELECT COALESCE(json_agg(json_build_array(a, (b)::json))::text, '[]') FROM t"
        );
    }
}
