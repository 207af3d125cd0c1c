//! Possible duplicate persons (重复建档). The same ID number is refused outright (the database holds one record
//! per number); this catches the rest: a new record whose name is the same as, or one character apart from,
//! an existing resident's, or read the same in pinyin (`super::pinyin`), with the same birth date — a typo, a
//! name written down from what a relative said, a record made before the ID number was known. The doctor sees
//! the candidates before saving and decides; nothing is refused. The phone checks the villages it holds, offline;
//! online, the server adds the rest of the township (`api::duplicate_residents`).

use super::Resident;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whether two names may belong to one person: one edit apart, or the same when spoken.
pub fn similar(a: &str, b: &str) -> bool {
    one_apart(a, b) || super::pinyin::same_sound(a, b)
}

/// Whether two names are equal or one edit (a character changed, added or removed) apart, ignoring spaces.
pub fn one_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = b.chars().filter(|c| !c.is_whitespace()).collect();
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => short.iter().zip(long.iter()).filter(|(x, y)| x != y).count() <= 1,
        1 => {
            // Skip the first character that differs in the longer name; the rest must match.
            let i = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// An existing record the doctor should look at before saving a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    pub village_id: String,
    pub village_name: String,
    pub record_no: String,
}

/// The residents that may be the person being recorded as `id` (`name`, born `birth_date`).
pub fn candidates<'a>(
    id: Uuid,
    name: &str,
    birth_date: NaiveDate,
    residents: impl IntoIterator<Item = &'a Resident>,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = residents
        .into_iter()
        .filter(|r| r.id != id && r.birth_date == birth_date && similar(&r.name, name))
        .map(|r| Candidate {
            id: r.id,
            name: r.name.clone(),
            village_id: r.village_id.clone(),
            village_name: r.village_name.clone(),
            record_no: r.record_no.clone(),
        })
        .collect();
    sort(&mut found);
    found
}

/// The phone's candidates and the server's in one list, each once, in a fixed order.
pub fn merge(mut a: Vec<Candidate>, b: Vec<Candidate>) -> Vec<Candidate> {
    for c in b {
        if !a.iter().any(|x| x.id == c.id) {
            a.push(c);
        }
    }
    sort(&mut a);
    a
}

fn sort(found: &mut [Candidate]) {
    found.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_one_character_apart() {
        for (a, b, similar) in [
            ("王秀英", "王秀英", true),
            ("王秀英", "王秀瑛", true),
            ("王秀英", "王英", true),
            ("王英", "王秀英", true),
            ("王秀英", "王秀英子", true),
            ("王 秀英", "王秀英", true),
            ("王秀英", "李秀瑛", false),
            ("王秀英", "王", false),
            ("张伟", "李娜", false),
            ("欧阳明", "欧明阳", false),
        ] {
            assert_eq!(one_apart(a, b), similar, "{a} / {b}");
        }
    }

    #[test]
    fn candidates_share_the_birth_date_and_a_similar_name() {
        let born = NaiveDate::from_ymd_opt(1958, 4, 12).unwrap();
        let r = |name: &str, birth: NaiveDate| Resident {
            birth_date: birth,
            record_no: "1101010010001".into(),
            village_name: "张庄村".into(),
            ..crate::resident::tests::stored(Uuid::now_v7(), name, "v1")
        };
        let same = r("刘桂兰", born);
        let typo = r("刘贵兰", born);
        let spoken = r("刘贵岚", born);
        let other_day = r("刘桂兰", born.succ_opt().unwrap());
        let other_name = r("陈美玲", born);
        let other_sound = r("刘贵蓝子", born);
        let all = [same.clone(), typo.clone(), spoken.clone(), other_day, other_name, other_sound];
        let found = candidates(Uuid::now_v7(), "刘桂兰", born, all.iter());
        let mut got: Vec<Uuid> = found.iter().map(|c| c.id).collect();
        let mut want = vec![same.id, typo.id, spoken.id];
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(found.windows(2).all(|w| w[0].name <= w[1].name), "ordered by name");
        // The server's answer adds what the phone does not hold, each candidate once.
        let far = candidates(Uuid::now_v7(), "刘桂兰", born, [r("刘贵兰", born)].iter());
        let merged = merge(found.clone(), [found.clone(), far.clone()].concat());
        assert_eq!(merged.len(), 4);
        assert!(merged.iter().any(|c| c.id == far[0].id));
        // A record never matches itself (an edit of `same`).
        assert_eq!(candidates(same.id, "刘桂兰", born, all.iter()).len(), 2);
    }
}
