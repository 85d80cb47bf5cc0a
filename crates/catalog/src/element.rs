//! Navigation over the static tables: parents, children, links, and a uniform `Element` view.

use crate::model::*;
use crate::tables;

/// Any element addressable by id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Element {
    Function(&'static Function),
    Category(&'static Category),
    Subcategory(&'static Subcategory),
    Example(&'static Example),
}

impl Element {
    pub(crate) fn from_ref(r: ElementRef) -> Element {
        match r {
            ElementRef::Function(i) => Element::Function(&tables::FUNCTIONS[usize::from(i)]),
            ElementRef::Category(i) => Element::Category(&tables::CATEGORIES[usize::from(i)]),
            ElementRef::Subcategory(i) => {
                Element::Subcategory(&tables::SUBCATEGORIES[usize::from(i)])
            }
            ElementRef::Example(i) => Element::Example(&tables::EXAMPLES[usize::from(i)]),
        }
    }

    pub fn id(&self) -> &'static str {
        match self {
            Element::Function(f) => f.id,
            Element::Category(c) => c.id,
            Element::Subcategory(s) => s.id,
            Element::Example(e) => e.id,
        }
    }

    /// "function", "category", "subcategory" or "implementation_example".
    pub fn kind(&self) -> &'static str {
        self.element_kind().as_str()
    }

    /// What the element is, as a type.
    pub fn element_kind(&self) -> ElementKind {
        match self {
            Element::Function(_) => ElementKind::Function,
            Element::Category(_) => ElementKind::Category,
            Element::Subcategory(_) => ElementKind::Subcategory,
            Element::Example(_) => ElementKind::ImplementationExample,
        }
    }

    /// Active in CSF 2.0, or withdrawn (see [`Element::is_withdrawn`]).
    pub fn status(&self) -> ElementStatus {
        if self.is_withdrawn() {
            ElementStatus::Withdrawn
        } else {
            ElementStatus::Active
        }
    }

    pub fn level(&self) -> Option<Level> {
        match self {
            Element::Function(_) => Some(Level::Function),
            Element::Category(_) => Some(Level::Category),
            Element::Subcategory(_) => Some(Level::Subcategory),
            Element::Example(_) => None,
        }
    }

    /// Title for functions and categories; subcategories and examples have none of their own.
    pub fn title(&self) -> Option<&'static str> {
        match self {
            Element::Function(f) => Some(f.title),
            Element::Category(c) => Some(c.title),
            _ => None,
        }
    }

    /// The outcome statement (function overview, category or subcategory statement, example text).
    pub fn text(&self) -> Option<&'static str> {
        match self {
            Element::Function(f) => Some(f.overview),
            Element::Category(c) => c.statement,
            Element::Subcategory(s) => Some(s.statement),
            Element::Example(e) => Some(e.text),
        }
    }

    /// Withdrawn CSF 1.1 elements (never true for functions or examples).
    pub fn is_withdrawn(&self) -> bool {
        match self {
            Element::Category(c) => c.withdrawn,
            Element::Subcategory(s) => s.withdrawn,
            Element::Function(_) => false,
            Element::Example(e) => e.subcategory().withdrawn,
        }
    }

    pub fn links(&self) -> &'static [Link] {
        match self {
            Element::Category(c) => c.links(),
            Element::Subcategory(s) => s.links(),
            _ => &[],
        }
    }

    /// The chain of ancestors, nearest first.
    pub fn parents(&self) -> Vec<Element> {
        match self {
            Element::Function(_) => vec![],
            Element::Category(c) => vec![Element::Function(c.function())],
            Element::Subcategory(s) => {
                let c = s.category();
                vec![Element::Category(c), Element::Function(c.function())]
            }
            Element::Example(e) => {
                let mut v = vec![Element::Subcategory(e.subcategory())];
                v.extend(Element::Subcategory(e.subcategory()).parents());
                v
            }
        }
    }

    /// The function this element belongs to.
    pub fn function(&self) -> &'static Function {
        match self {
            Element::Function(f) => f,
            Element::Category(c) => c.function(),
            Element::Subcategory(s) => s.category().function(),
            Element::Example(e) => e.subcategory().category().function(),
        }
    }
}

fn slice<T>(table: &'static [T], span: Span) -> &'static [T] {
    table.get(span.range()).unwrap_or(&[])
}

impl Function {
    pub fn categories(&self) -> &'static [Category] {
        slice(&tables::CATEGORIES, self.categories)
    }
    pub fn active_categories(&self) -> impl Iterator<Item = &'static Category> {
        self.categories().iter().filter(|c| !c.withdrawn)
    }
    pub fn subcategories(&self) -> impl Iterator<Item = &'static Subcategory> {
        self.categories().iter().flat_map(Category::subcategories)
    }
}

impl Category {
    pub fn function(&self) -> &'static Function {
        &tables::FUNCTIONS[usize::from(self.function)]
    }
    pub fn subcategories(&self) -> &'static [Subcategory] {
        slice(&tables::SUBCATEGORIES, self.subcategories)
    }
    pub fn active_subcategories(&self) -> impl Iterator<Item = &'static Subcategory> {
        self.subcategories().iter().filter(|s| !s.withdrawn)
    }
    pub fn links(&self) -> &'static [Link] {
        slice(&tables::LINKS, self.links)
    }
}

impl Subcategory {
    pub fn category(&self) -> &'static Category {
        &tables::CATEGORIES[usize::from(self.category)]
    }
    pub fn examples(&self) -> &'static [Example] {
        slice(&tables::EXAMPLES, self.examples)
    }
    pub fn links(&self) -> &'static [Link] {
        slice(&tables::LINKS, self.links)
    }
    /// Position in the global subcategory table (stable for one build of the catalog).
    pub fn index(&self) -> usize {
        tables::SUBCATEGORIES
            .iter()
            .position(|x| std::ptr::eq(x, self))
            .unwrap_or(0)
    }
}

impl Example {
    pub fn subcategory(&self) -> &'static Subcategory {
        &tables::SUBCATEGORIES[usize::from(self.subcategory)]
    }
}

/// Element counts, active and withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub functions: usize,
    pub active_categories: usize,
    pub active_subcategories: usize,
    pub implementation_examples: usize,
    pub withdrawn_categories: usize,
    pub withdrawn_subcategories: usize,
}

pub fn counts() -> Counts {
    let wc = tables::CATEGORIES.iter().filter(|c| c.withdrawn).count();
    let ws = tables::SUBCATEGORIES.iter().filter(|s| s.withdrawn).count();
    Counts {
        functions: tables::FUNCTIONS.len(),
        active_categories: tables::CATEGORIES.len() - wc,
        active_subcategories: tables::SUBCATEGORIES.len() - ws,
        implementation_examples: tables::EXAMPLES.len(),
        withdrawn_categories: wc,
        withdrawn_subcategories: ws,
    }
}

/// Provenance of the compiled-in catalog (title, version, sha256 …).
pub fn meta() -> &'static CatalogMeta {
    &tables::META
}
