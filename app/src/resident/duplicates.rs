//! Possible duplicate persons (重复建档). The same ID number is refused outright (the database holds one record
//! per number); this catches the rest: a new record whose name is the same as, or one character apart from,
//! an existing resident's with the same birth date — a typo, a homophone written with another character, a
//! record made before the ID number was known. The doctor sees the candidates with links before saving and
//! decides; nothing is refused.
//!
//! Not yet: names that sound the same but differ in more than one character (same pinyin); that needs a
//! character-to-pinyin table, which is too large for the phone's download budget without care.

use super::Resident;
use chrono::NaiveDate;
use uuid::Uuid;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
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
        .filter(|r| r.id != id && r.birth_date == birth_date && one_apart(&r.name, name))
        .map(|r| Candidate {
            id: r.id,
            name: r.name.clone(),
            village_name: r.village_name.clone(),
            record_no: r.record_no.clone(),
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    found
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
        let other_day = r("刘桂兰", born.succ_opt().unwrap());
        let other_name = r("陈桂兰", born.pred_opt().unwrap());
        let all = [same.clone(), typo.clone(), other_day, other_name];
        let found = candidates(Uuid::now_v7(), "刘桂兰", born, all.iter());
        assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![same.id, typo.id]);
        // A record never matches itself (an edit of `same`).
        assert_eq!(candidates(same.id, "刘桂兰", born, all.iter()).len(), 1);
    }
}
