//! # Scene: what to draw
//!
//! A pure projection from a simulation at a moment in time to drawable
//! primitives — node circles on a ring, clients, links and their faults,
//! messages flying between sender and receiver (position interpolated
//! between the send and delivery ticks), quorum sets and their overlap, the
//! sides of a partition. The canvas code only paints a [`Scene`]; hit-testing
//! (what is under the pointer) is a pure function here too, so both are
//! tested natively.

mod geometry;
mod history;
mod hit;
pub mod labels;
pub mod palette;
mod project;
pub mod qr;
mod spacetime;
pub mod svg;

pub use geometry::{clamp, point_side, segment_distance, Point};
pub use history::{
    collect_faults, hit_bar, hit_fault, layout_history, Band, Bar, BarKind, Fault, FaultKind,
    FaultMark, HistoryOp, HistoryScene, LANE_LABEL_WIDTH,
};
pub use hit::{hit, split_by_line, Hit};
pub use labels::{place, Labels};
pub use project::{
    node_name, project, ClientShape, Detail, DropShape, Header, LinkShape, MessageKind,
    MessageShape, NodeShape, Role, Scene,
};
pub use spacetime::{
    hit_spacetime, kind_of_tag, layout_spacetime, ArrowEnd, Selected, SpaceTimeScene, StArrow,
    StHit, StMark, StSpan, NAMES_WIDTH,
};
