//! Where a scorecard problem is, for people: the id of the criterion a
//! JSON path is in, shown beside the path
//! (`sections[0].criteria[1] (greet_name).rule.pattern`), since nobody
//! counts criteria to find the second one of the first section.

use super::parse::Issue;
use serde_json::Value;

/// `(section, criterion)` indices of a path under `sections[i].criteria[j]`.
pub(super) fn criterion_at(path: &str) -> Option<(usize, usize, usize)> {
    let rest = path.strip_prefix("sections[")?;
    let (si, rest) = rest.split_once(']')?;
    let rest = rest.strip_prefix(".criteria[")?;
    let (ci, _) = rest.split_once(']')?;
    let end = "sections[".len() + si.len() + "].criteria[".len() + ci.len() + 1;
    Some((si.parse().ok()?, ci.parse().ok()?, end))
}

/// Issues with the id of the criterion their path is in, as the JSON gives it.
pub(super) fn by_criterion(mut issues: Vec<Issue>, value: &Value) -> Vec<Issue> {
    for i in &mut issues {
        if let Some((s, c, _)) = criterion_at(&i.path) {
            let id = value["sections"][s]["criteria"][c]["id"].as_str();
            i.criterion = id.map(str::to_string);
        }
    }
    issues
}
