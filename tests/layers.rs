//! The layer rule of docs/architecture.md, checked from the source: every
//! reference one file under `src/` makes to another (`use` lines, `super::`
//! and `crate::` paths in code, a module imported under its name and then
//! used) is an edge; the graph of files must have no cycle, and the top-level
//! layers may import only the layers listed below them.
//!
//! `LAYERS_DUMP=1 cargo test --test layers -- --nocapture` prints the edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up: each may import only those before
/// it (docs/architecture.md, "Layers"). `lib` (the crate root) wires them.
const LAYERS: &[&[&str]] = &[
    &["proto", "logging"],
    &["protocol"],
    &["framework"],
    &["aws"],
    &["provider"],
    &["resources"],
    &["data_sources", "functions", "actions"],
    &["server"],
    &["transport"],
    &["lib"],
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    PathSep,
}

/// Identifiers and punctuation, without comments, strings and char literals.
fn tokens(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (b.get(i + 1) == Some(&'"') || (b.get(i + 1) == Some(&'#') && raw_start(&b, i + 1))) {
            // raw string r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
        } else if c == '"' || (c == 'b' && b.get(i + 1) == Some(&'"')) {
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            i = j + 1;
        } else if c == '\'' {
            // a char literal ('x', '\n', '\u{..}') or a lifetime ('a)
            if b.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '.') {
                i += 1;
            }
        } else if c == ':' && b.get(i + 1) == Some(&':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            i += 1;
        }
    }
    out
}

fn raw_start(b: &[char], mut j: usize) -> bool {
    while b.get(j) == Some(&'#') {
        j += 1;
    }
    b.get(j) == Some(&'"')
}

/// A module's path from the crate root, e.g. ["resources", "delivery_stream"].
type ModPath = Vec<String>;

struct Crate {
    /// module path -> file
    files: BTreeMap<ModPath, PathBuf>,
    /// `#[macro_export]` macro name -> the file defining it
    macros: BTreeMap<String, PathBuf>,
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module a file is, following `#[path = "…"]` on `mod` declarations.
fn module_paths(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut files = Vec::new();
    rs_files(src, &mut files);
    let mut map = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        let mut parts: Vec<String> =
            rel.iter().map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
        match parts.last().map(String::as_str) {
            Some("lib") => parts.clear(),
            Some("main") => continue, // the binary: a crate of its own
            Some("mod") => {
                parts.pop();
            }
            _ => {}
        }
        map.insert(parts, f.clone());
    }
    // `#[path = "x_tests.rs"] mod tests;` makes x_tests.rs the module x::tests.
    let mut renamed = Vec::new();
    for (m, f) in &map {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("#[path = \"") {
                let target = rest.split('"').next().unwrap();
                renamed.push((m.clone(), target.trim_end_matches(".rs").to_string()));
            }
        }
    }
    for (owner, target) in renamed {
        let mut parent = owner.clone();
        parent.pop();
        let mut old = parent.clone();
        old.push(target);
        if let Some(f) = map.remove(&old) {
            let mut new = owner.clone();
            new.push("tests".into());
            map.insert(new, f);
        }
    }
    map
}

impl Crate {
    fn load(src: &Path) -> Crate {
        let files = module_paths(src);
        let mut macros = BTreeMap::new();
        for f in files.values() {
            let toks = tokens(&std::fs::read_to_string(f).unwrap());
            for w in toks.windows(3) {
                if let [Tok::Ident(a), Tok::Punct('!'), Tok::Ident(name)] = w {
                    if a == "macro_rules" {
                        macros.insert(name.clone(), f.clone());
                    }
                }
            }
        }
        Crate { files, macros }
    }

    /// The file of the longest module prefix of `path`.
    fn file_of(&self, path: &[String]) -> Option<&PathBuf> {
        (0..=path.len()).rev().find_map(|n| self.files.get(&path[..n]))
    }

    fn is_module(&self, path: &[String]) -> bool {
        self.files.contains_key(path)
    }
}

/// Absolute module path of a path written in module `here` (with the inline
/// modules it sits in), or None for external crates and std.
fn absolute(krate: &Crate, here: &[String], aliases: &BTreeMap<String, ModPath>, segs: &[String]) -> Option<ModPath> {
    let first = segs.first()?;
    let mut base: ModPath = match first.as_str() {
        "crate" => vec![],
        "self" => here.to_vec(),
        "super" => {
            let mut p = here.to_vec();
            let mut rest = segs;
            while rest.first().map(String::as_str) == Some("super") {
                p.pop();
                rest = &rest[1..];
            }
            p.extend(rest.iter().filter(|s| s.as_str() != "self").cloned());
            return Some(p);
        }
        _ => {
            let mut child = here.to_vec();
            child.push(first.clone());
            if krate.is_module(&child) {
                child.extend(segs[1..].iter().cloned());
                return Some(child);
            }
            let mut alias = aliases.get(first)?.clone();
            alias.extend(segs[1..].iter().cloned());
            return Some(alias);
        }
    };
    base.extend(segs[1..].iter().cloned());
    Some(base)
}

/// Leaves of a `use` tree starting at `toks[i]`: (full path, the name it binds).
fn use_tree(toks: &[Tok], i: &mut usize, prefix: &[String], out: &mut Vec<(ModPath, String)>) {
    let mut path = prefix.to_vec();
    loop {
        match toks.get(*i) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *i += 1;
            }
            Some(Tok::PathSep) => *i += 1,
            Some(Tok::Punct('{')) => {
                *i += 1;
                loop {
                    use_tree(toks, i, &path, out);
                    match toks.get(*i) {
                        Some(Tok::Punct(',')) => *i += 1,
                        _ => break,
                    }
                    if toks.get(*i) == Some(&Tok::Punct('}')) {
                        break;
                    }
                }
                *i += 1; // '}'
                return;
            }
            Some(Tok::Punct('*')) => {
                *i += 1;
                out.push((path, "*".into()));
                return;
            }
            _ => break,
        }
        // `as name`
        if let (Some(Tok::Ident(a)), Some(Tok::Ident(name))) = (toks.get(*i), toks.get(*i + 1)) {
            if a == "as" {
                *i += 2;
                out.push((path, name.clone()));
                return;
            }
        }
    }
    let name = match path.last().map(String::as_str) {
        Some("self") => {
            path.pop();
            path.last().cloned().unwrap_or_default()
        }
        Some(n) => n.to_string(),
        None => return,
    };
    out.push((path, name));
}

/// Files that `file` (module `module`) refers to.
fn edges_of(krate: &Crate, module: &[String], file: &Path) -> BTreeSet<PathBuf> {
    let toks = tokens(&std::fs::read_to_string(file).unwrap());
    let mut out = BTreeSet::new();
    // Inline modules (`mod tests { … }`): the module path at each token.
    let mut here: Vec<ModPath> = Vec::with_capacity(toks.len());
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut pending: Option<String> = None;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct('{') => {
                depth += 1;
                if let Some(name) = pending.take() {
                    stack.push((depth, name));
                }
            }
            Tok::Punct('}') => {
                if stack.last().is_some_and(|(d, _)| *d == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(m) if m == "mod" => {
                if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) = (toks.get(i + 1), toks.get(i + 2)) {
                    pending = Some(name.clone());
                }
            }
            _ => {}
        }
        let mut m = module.to_vec();
        m.extend(stack.iter().map(|(_, n)| n.clone()));
        here.push(m);
    }

    let mut aliases: BTreeMap<String, ModPath> = BTreeMap::new();
    let add = |p: ModPath, out: &mut BTreeSet<PathBuf>| {
        if let Some(f) = krate.file_of(&p) {
            if f != file {
                out.insert(f.clone());
            }
        }
    };
    // `use` trees first, so that the names they bind are known.
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == Tok::Ident("use".into()) {
            let at = i;
            i += 1;
            let mut leaves = Vec::new();
            use_tree(&toks, &mut i, &[], &mut leaves);
            for (path, name) in leaves {
                if let Some(abs) = absolute(krate, &here[at], &aliases, &path) {
                    if krate.is_module(&abs) && name != "*" {
                        aliases.insert(name, abs.clone());
                    }
                    add(abs, &mut out);
                }
            }
        } else {
            i += 1;
        }
    }
    // Paths in code: `a::b::c` whose head is crate/self/super, a child module
    // or a module imported by name; and `crate::name!` macros.
    let mut i = 0;
    while i < toks.len() {
        let starts = matches!(toks.get(i + 1), Some(Tok::PathSep))
            && !matches!(i.checked_sub(1).and_then(|p| toks.get(p)), Some(Tok::PathSep))
            && !matches!(i.checked_sub(1).and_then(|p| toks.get(p)), Some(Tok::Ident(u)) if u == "use");
        if let (true, Some(Tok::Ident(_))) = (starts, toks.get(i)) {
            let at = i;
            let mut segs = Vec::new();
            while let Some(Tok::Ident(s)) = toks.get(i) {
                segs.push(s.clone());
                if toks.get(i + 1) == Some(&Tok::PathSep) {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            }
            if toks.get(i) == Some(&Tok::Punct('!')) && segs.first().map(String::as_str) == Some("crate") {
                if let Some(f) = segs.last().and_then(|m| krate.macros.get(m)) {
                    if f != file {
                        out.insert(f.clone());
                    }
                }
                continue;
            }
            if let Some(abs) = absolute(krate, &here[at], &aliases, &segs) {
                add(abs, &mut out);
            }
        } else {
            i += 1;
        }
    }
    out
}

fn graph() -> (PathBuf, BTreeMap<PathBuf, BTreeSet<PathBuf>>, BTreeMap<PathBuf, ModPath>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let krate = Crate::load(&src);
    let mut g = BTreeMap::new();
    let mut modules = BTreeMap::new();
    for (m, f) in &krate.files {
        g.insert(f.clone(), edges_of(&krate, m, f));
        modules.insert(f.clone(), m.clone());
    }
    (src, g, modules)
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(g: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct T<'a> {
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        on: BTreeSet<&'a PathBuf>,
        stack: Vec<&'a PathBuf>,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a PathBuf) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t =
        T { g, index: BTreeMap::new(), low: BTreeMap::new(), on: BTreeSet::new(), stack: Vec::new(), out: vec![] };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn layer_of(module: &[String]) -> usize {
    let top = module.first().map(String::as_str).unwrap_or("lib");
    LAYERS.iter().position(|l| l.contains(&top)).unwrap_or_else(|| panic!("module {top} is in no layer of LAYERS"))
}

#[test]
fn no_file_imports_itself_back() {
    let (src, g, _) = graph();
    let rel = |p: &PathBuf| p.strip_prefix(&src).unwrap().display().to_string();
    if std::env::var_os("LAYERS_DUMP").is_some() {
        for (f, to) in &g {
            for t in to {
                println!("{} -> {}", rel(f), rel(t));
            }
        }
    }
    let found = cycles(&g);
    let text: Vec<String> = found
        .iter()
        .map(|c| {
            let set: BTreeSet<&PathBuf> = c.iter().collect();
            let inner: Vec<String> = c
                .iter()
                .flat_map(|f| g[f].iter().filter(|t| set.contains(t)).map(move |t| format!("{} -> {}", rel(f), rel(t))))
                .collect();
            format!(
                "{} files: {}\n    {}",
                c.len(),
                c.iter().map(rel).collect::<Vec<_>>().join(", "),
                inner.join("\n    ")
            )
        })
        .collect();
    assert!(found.is_empty(), "import cycles under src/:\n{}", text.join("\n"));
}

#[test]
fn layers_import_only_those_below() {
    let (src, g, modules) = graph();
    let mut wrong = Vec::new();
    for (f, to) in &g {
        let from = layer_of(&modules[f]);
        for t in to {
            if layer_of(&modules[t]) > from {
                wrong.push(format!(
                    "{} -> {}",
                    f.strip_prefix(&src).unwrap().display(),
                    t.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layer order of docs/architecture.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_analysis_sees_each_kind_of_reference() {
    // A tree of four files with one reference of each kind the analysis reads.
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    let krate = Crate {
        files: [(vec![], "lib.rs"), (vec!["a"], "a/mod.rs"), (vec!["a", "b"], "a/b.rs"), (vec!["c"], "c.rs")]
            .into_iter()
            .map(|(m, f)| (m.into_iter().map(String::from).collect(), dir.join(f)))
            .collect(),
        macros: BTreeMap::new(),
    };
    std::fs::create_dir_all(dir.join("a")).unwrap();
    let cases = [
        ("use super::Thing;", vec!["a/mod.rs"]),
        ("use crate::c::{X, Y as Z};", vec!["c.rs"]),
        ("fn f() { super::super::c::go() }", vec!["c.rs"]),
        ("use crate::c; fn f() { c::go() }", vec!["c.rs"]),
        ("// use crate::c;\nconst S: &str = \"crate::c::x\";", vec![]),
        ("mod tests { use super::*; }", vec![]),
        ("fn f() { std::mem::drop(1) }", vec![]),
    ];
    for (text, want) in cases {
        let f = dir.join("a/b.rs");
        std::fs::write(&f, text).unwrap();
        let got: Vec<String> = edges_of(&krate, &["a".into(), "b".into()], &f)
            .into_iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(got, want, "for {text:?}");
    }
    let g: BTreeMap<PathBuf, BTreeSet<PathBuf>> = [
        (PathBuf::from("x"), [PathBuf::from("y")].into()),
        (PathBuf::from("y"), [PathBuf::from("x")].into()),
        (PathBuf::from("z"), [PathBuf::from("x")].into()),
    ]
    .into_iter()
    .collect();
    assert_eq!(cycles(&g), vec![vec![PathBuf::from("x"), PathBuf::from("y")]]);
}

fn src_files() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    (src, files)
}

#[test]
fn no_file_is_longer_than_500_lines() {
    let (src, files) = src_files();
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > 500)
        .map(|(f, n)| format!("{} ({n} lines)", f.strip_prefix(&src).unwrap().display()))
        .collect();
    assert!(long.is_empty(), "split these files (docs/architecture.md): {long:?}");
}

/// State shared across streams lives in the provider's `Pacer`, which each
/// configured provider owns: a `static` holding an atomic, a lock or a
/// notifier would be shared by every test in the process instead.
#[test]
fn no_static_holds_coordination_state() {
    let (src, files) = src_files();
    let mut found = Vec::new();
    for f in &files {
        let toks = tokens(&std::fs::read_to_string(f).unwrap());
        for (i, t) in toks.iter().enumerate() {
            if *t != Tok::Ident("static".into()) || !matches!(toks.get(i + 2), Some(Tok::Punct(':'))) {
                continue;
            }
            let ty: Vec<&str> = toks[i + 3..]
                .iter()
                .take_while(|t| !matches!(t, Tok::Punct('=') | Tok::Punct(';')))
                .filter_map(|t| match t {
                    Tok::Ident(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            let shared = ["Mutex", "RwLock", "Notify", "Cell", "RefCell"];
            if ty.iter().any(|w| w.starts_with("Atomic") || shared.contains(w)) {
                found.push(format!("{}: static {:?}", f.strip_prefix(&src).unwrap().display(), toks[i + 1]));
            }
        }
    }
    assert!(found.is_empty(), "coordination state belongs in provider::pacer::Pacer: {found:?}");
}
