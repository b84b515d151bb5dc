//! A small line diff for "the committed file is stale" messages.

/// Lines of context kept around each change.
const CONTEXT: usize = 2;
/// Above this many cells (old lines × new lines) only the first difference is shown.
const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// A unified-style diff from `old` to `new` (`-` removed, `+` added, with a
/// little context and `@@ line N @@` markers), at most `max_lines` long.
/// Empty when the texts are equal.
pub fn line_diff(old: &str, new: &str, max_lines: usize) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = if a.len().saturating_mul(b.len()) > MAX_CELLS {
        first_difference(&a, &b)
    } else {
        lcs_ops(&a, &b)
    };
    render(&ops, &a, &b, max_lines, old.ends_with('\n') != new.ends_with('\n'))
}

fn lcs_ops(old: &[&str], new: &[&str]) -> Vec<Op> {
    let (rows, cols) = (old.len(), new.len());
    // table[i][j] = LCS length of old[i..] and new[j..], stored row-major.
    let width = cols + 1;
    let mut table = vec![0u32; (rows + 1) * width];
    for i in (0..rows).rev() {
        for j in (0..cols).rev() {
            let value = if old.get(i) == new.get(j) {
                cell(&table, (i + 1) * width + j + 1) + 1
            } else {
                cell(&table, (i + 1) * width + j).max(cell(&table, i * width + j + 1))
            };
            if let Some(slot) = table.get_mut(i * width + j) {
                *slot = value;
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < rows || j < cols {
        if i < rows && j < cols && old.get(i) == new.get(j) {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if i < rows
            && (j == cols || cell(&table, (i + 1) * width + j) >= cell(&table, i * width + j + 1))
        {
            // Removals before additions, like `diff -u`.
            ops.push(Op::Removed(i));
            i += 1;
        } else {
            ops.push(Op::Added(j));
            j += 1;
        }
    }
    ops
}

fn cell(table: &[u32], at: usize) -> u32 {
    table.get(at).copied().unwrap_or(0)
}

/// For huge inputs: common prefix, then everything else as removed/added.
fn first_difference(a: &[&str], b: &[&str]) -> Vec<Op> {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let mut ops: Vec<Op> = (0..same).map(|i| Op::Same(i, i)).collect();
    ops.extend((same..a.len()).map(Op::Removed));
    ops.extend((same..b.len()).map(Op::Added));
    ops
}

fn render(ops: &[Op], a: &[&str], b: &[&str], max_lines: usize, newline_differs: bool) -> String {
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(k, _)| k)
        .collect();
    let keep = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
    let mut lines = Vec::new();
    let mut last_kept: Option<usize> = None;
    for (k, op) in ops.iter().enumerate() {
        if !keep(k) {
            continue;
        }
        if last_kept.is_none_or(|l| l + 1 != k) {
            let line = match *op {
                Op::Same(i, _) | Op::Removed(i) => i + 1,
                Op::Added(j) => j + 1,
            };
            lines.push(format!("@@ line {line} @@"));
        }
        last_kept = Some(k);
        lines.push(match *op {
            Op::Same(i, _) => format!("  {}", a.get(i).unwrap_or(&"")),
            Op::Removed(i) => format!("- {}", a.get(i).unwrap_or(&"")),
            Op::Added(j) => format!("+ {}", b.get(j).unwrap_or(&"")),
        });
    }
    if newline_differs {
        lines.push("(the files differ in the final newline)".into());
    }
    if lines.len() > max_lines {
        let hidden = lines.len() - max_lines;
        lines.truncate(max_lines);
        lines.push(format!("… {hidden} more diff lines"));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_diff_is_empty_for_equal_texts() {
        assert_eq!(line_diff("a\nb\n", "a\nb\n", 10), "");
    }

    #[test]
    fn line_diff_shows_a_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n";
        let new = "1\n2\n3\nfour\n5\n6\n7\n";
        assert_eq!(line_diff(old, new, 20), "@@ line 2 @@\n  2\n  3\n- 4\n+ four\n  5\n  6\n");
    }

    #[test]
    fn line_diff_is_truncated_to_max_lines() {
        let old = (0..100).map(|i| i.to_string()).collect::<Vec<_>>().join("\n");
        let diff = line_diff(&old, "", 5);
        assert_eq!(diff.lines().count(), 6);
        assert!(diff.ends_with("more diff lines\n"));
    }

    #[test]
    fn line_diff_mentions_a_missing_final_newline() {
        assert!(line_diff("a\n", "a", 10).contains("final newline"));
    }
}
