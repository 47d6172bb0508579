//! `merge`, `unmerge` (and their dot-commands): an editor's decision that
//! two entity ids name one entity, or taking it back. Names are resolved
//! as everywhere (any script); the decision is written to the store's
//! editorial graph with its note and time.

use storygraph::graph::Projection;
use storygraph::store::GraphStore;
use storygraph::{Error, Result};

use crate::args::{MergeArgs, UnmergeArgs};
use crate::outcome::Outcome;

/// Makes the entities `args` names one.
pub fn merge(store: &GraphStore, projection: &Projection, args: &MergeArgs) -> Result<Outcome> {
    let (a, b) = (
        projection.resolve_entity(&args.a)?,
        projection.resolve_entity(&args.b)?,
    );
    if a == b {
        return Err(Error::Usage(format!(
            "\"{}\" and \"{}\" are one entity already",
            args.a, args.b
        )));
    }
    let (a, b) = (projection.entities.get(a), projection.entities.get(b));
    let created = utc_now();
    store.merge_entities(&a.iri, &b.iri, args.note.as_deref(), Some(&created))?;
    eprintln!(
        "merged {} ({}) and {} ({}): one entity from now on; `storygraph unmerge {} {}` undoes it",
        a.id(),
        a.label,
        b.id(),
        b.label,
        a.id(),
        b.id()
    );
    Ok(Outcome::Success)
}

/// Undoes the merge of the entities `args` names (by the ids or IRIs the
/// merge recorded: after a merge, a name finds the merged entity).
pub fn unmerge(store: &GraphStore, args: &UnmergeArgs) -> Result<Outcome> {
    let merges = store.editorial_merges()?;
    let iri = |name: &str| {
        let wanted = storygraph::vocab::entity(name).into_string();
        merges
            .iter()
            .flat_map(|m| m.entities.iter())
            .find(|e| **e == name || **e == wanted)
            .cloned()
    };
    let (Some(a), Some(b)) = (iri(&args.a), iri(&args.b)) else {
        return Err(Error::Usage(format!(
            "no merge of \"{}\" and \"{}\"; `storygraph merges` lists the merges",
            args.a, args.b
        )));
    };
    if !store.unmerge_entities(&a, &b)? {
        return Err(Error::Usage(format!(
            "no merge of \"{}\" and \"{}\"; `storygraph merges` lists the merges",
            args.a, args.b
        )));
    }
    eprintln!("unmerged {} and {}: two entities again", args.a, args.b);
    Ok(Outcome::Success)
}

/// Now, as an `xsd:dateTime` in UTC (to the second).
fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}
