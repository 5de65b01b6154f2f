//! The error of every stage after evaluation (plan, content, writers): its own module so that
//! the writers (`output`) and the pipeline (`build`) both use it without depending on each
//! other.

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
    #[error(transparent)]
    Boot(#[from] crate::boot::BootError),
    #[error(transparent)]
    Ext(#[from] crate::fs::ext::ExtError),
    #[error(transparent)]
    Fat(#[from] crate::fs::fat::FatError),
    #[error(transparent)]
    Table(#[from] crate::disk::TableError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Iso(#[from] crate::fs::iso::IsoError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("interrupted")]
    Interrupted,
}

impl BuildError {
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        BuildError::Io {
            what: what.into(),
            source,
        }
    }
}
