//! What the archive formats (docker, tarball, wsl2) share: the root tree read once while
//! planning, so `show` sees it and its warnings come before anything is written.

use super::FormatPlan;
use crate::content::{NodeKind, Tree};
use crate::context::BuildOptions;
use crate::error::BuildError;
use crate::pipeline::populate;
use crate::plan::Plan;

pub(super) fn plan_archive(
    plan: &mut Plan,
    opts: &BuildOptions,
    warnings: &mut Vec<String>,
) -> Result<FormatPlan, BuildError> {
    let has_tree = plan
        .image
        .operating_system
        .as_ref()
        .is_some_and(|os| os.root_tree.is_some());
    // A dry run without a root tree has nothing to read (show says "empty").
    if !has_tree && opts.dry_run {
        return Ok(FormatPlan::Archive { tree: None });
    }
    let (tree, report) = populate::root_tree(&plan.image, opts.populate_options())?;
    plan.notes.extend(report.notes);
    warnings.extend(report.warnings);
    warnings.extend(sockets_left_out(&tree));
    Ok(FormatPlan::Archive { tree: Some(tree) })
}

/// The tree an archive writer writes: the one read while planning (a dry-run plan has none:
/// it is never written).
pub(super) fn tree(plan: &Plan) -> Result<&Tree, BuildError> {
    match &plan.layout {
        FormatPlan::Archive { tree: Some(tree) } => Ok(tree),
        _ => Err(BuildError::Input(
            "internal: an archive plan without its root tree (a dry run's plan is not written)"
                .into(),
        )),
    }
}

/// Tar (and so docker layers) cannot hold sockets: they are left out, and said by name.
fn sockets_left_out(tree: &Tree) -> Option<String> {
    let sockets: Vec<String> = tree
        .walk()
        .into_iter()
        .filter(|(_, id)| matches!(tree.node(*id).kind, NodeKind::Socket))
        .map(|(path, _)| path)
        .collect();
    let (first, rest) = sockets.split_at(sockets.len().min(5));
    (!first.is_empty()).then(|| {
        let more = if rest.is_empty() {
            String::new()
        } else {
            format!(" and {} more", rest.len())
        };
        format!(
            "left out {} socket{} (tar cannot hold sockets): {}{more}",
            sockets.len(),
            if sockets.len() == 1 { "" } else { "s" },
            first.join(", ")
        )
    })
}
