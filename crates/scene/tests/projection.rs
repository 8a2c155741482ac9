//! The scene is a pure function of the simulation and the moment.

use qcore::lessons;
use qcore::net::LinkState;
use qcore::scenario::ActionKind;
use qcore::types::{Addr, ClientOp};
use qcore::Sim;
use qscene::{hit, project, split_by_line, Hit, Point};

const W: f64 = 800.0;
const H: f64 = 500.0;

fn sim_with_message() -> (Sim, u64) {
    let mut sim = Sim::new(lessons::lesson("quorum-3-2-2").expect("exists")).expect("valid");
    sim.run_until(12); // the client's write left at tick 10
    let m = sim.world().net().in_flight().next().expect("the request flies").clone();
    (sim, m.id)
}

#[test]
fn a_message_moves_linearly_from_sender_to_receiver() {
    let (sim, id) = sim_with_message();
    let m = sim.world().net().message(id).expect("in flight").clone();
    let deliver = m.deliver.expect("scheduled") as f64;
    let sent = m.sent as f64;
    let at = |t: f64| {
        let s = project(&sim, t, W, H);
        s.messages.iter().find(|x| x.id == id).expect("drawn").clone()
    };
    let start = at(sent);
    let mid = at((sent + deliver) / 2.0);
    let end = at(deliver);
    assert!((start.progress - 0.0).abs() < 1e-9);
    assert!((mid.progress - 0.5).abs() < 1e-9);
    assert!((end.progress - 1.0).abs() < 1e-9);
    let scene = project(&sim, sent, W, H);
    let from = scene.addr_pos(m.from).expect("client");
    let to = scene.addr_pos(m.to).expect("node");
    // Midway lies (up to the lane offset) on the segment's midpoint.
    let centre = from.lerp(to, 0.5);
    assert!(mid.pos.dist(centre) < 5.0, "{:?} vs {centre:?}", mid.pos);
    assert!(start.pos.dist(from) < 5.0 && end.pos.dist(to) < 5.0);
}

#[test]
fn nodes_sit_on_a_ring_and_clients_on_the_left() {
    let sim = Sim::new(lessons::lesson("quorum-10-3-8").expect("exists")).expect("valid");
    let s = project(&sim, 0.0, W, H);
    assert_eq!(s.nodes.len(), 10);
    let cx = s.nodes.iter().map(|n| n.pos.x).sum::<f64>() / 10.0;
    let cy = s.nodes.iter().map(|n| n.pos.y).sum::<f64>() / 10.0;
    let r0 = s.nodes[0].pos.dist(Point::new(cx, cy));
    for n in &s.nodes {
        assert!((n.pos.dist(Point::new(cx, cy)) - r0).abs() < 1e-6, "equal distance from centre");
        assert!(n.pos.x > 0.0 && n.pos.x < W && n.pos.y > 0.0 && n.pos.y < H);
    }
    assert!(s.clients.iter().all(|c| c.pos.x < s.nodes.iter().map(|n| n.pos.x).fold(W, f64::min)));
    assert_eq!(s.header, qscene::Header::Quorum { n: 10, w: 3, r: 8 });
}

#[test]
fn a_partition_is_two_sides_with_a_line_between_them() {
    let mut sim = Sim::new(lessons::lesson("quorum-custom").expect("exists")).expect("valid");
    sim.act(ActionKind::Partition { side: vec![0, 1] }).expect("valid");
    let s = project(&sim, 0.0, W, H);
    assert_eq!(s.sides, 2);
    let (a, b) = s.partition_line.expect("a split line");
    let side_of = |p: Point| qscene::point_side(a, b, p).signum();
    let s01 = side_of(s.nodes[0].pos);
    assert_eq!(side_of(s.nodes[1].pos), s01);
    for n in &s.nodes[2..] {
        assert_eq!(side_of(n.pos), -s01, "node {} on the other side", n.id);
    }
    let cut = s.links.iter().find(|l| l.a == Addr::Node(0) && l.b == Addr::Node(3)).expect("link");
    assert_eq!((cut.ab, cut.ba), (LinkState::Partitioned, LinkState::Partitioned));
}

#[test]
fn drawing_a_line_across_the_ring_splits_the_nodes_it_separates() {
    let sim = Sim::new(lessons::lesson("quorum-custom").expect("exists")).expect("valid");
    let s = project(&sim, 0.0, W, H);
    // A vertical stroke just left of node 0 (top of the ring) … through the ring's middle.
    let cx = s.nodes[0].pos.x;
    let left =
        split_by_line(&s, Point::new(cx - 5.0, 0.0), Point::new(cx - 5.0, H)).expect("split");
    let expect: Vec<u32> = s.nodes.iter().filter(|n| n.pos.x > cx - 5.0).map(|n| n.id).collect();
    let other: Vec<u32> = s.nodes.iter().filter(|n| n.pos.x < cx - 5.0).map(|n| n.id).collect();
    assert!(left == expect || left == other, "{left:?}");
    assert!(
        split_by_line(&s, Point::new(1.0, 1.0), Point::new(2.0, 300.0)).is_none(),
        "misses the ring"
    );
}

#[test]
fn hit_testing_finds_messages_nodes_clients_and_links() {
    let (mut sim, id) = sim_with_message();
    sim.act(ActionKind::ClientOp { client: 1, node: 2, op: ClientOp::Read }).expect("valid");
    let s = project(&sim, 30.0, W, H);
    let m = s.messages.iter().find(|m| m.id == id).expect("drawn");
    assert_eq!(hit(&s, m.pos), Some(Hit::Message(id)));
    assert_eq!(hit(&s, s.nodes[1].pos), Some(Hit::Node(1)));
    assert_eq!(hit(&s, s.clients[2].pos), Some(Hit::Client(2)));
    let l = s.links.iter().find(|l| l.a == Addr::Node(1) && l.b == Addr::Node(2)).expect("link");
    let near_a = l.a_pos.lerp(l.b_pos, 0.3);
    assert_eq!(hit(&s, near_a), Some(Hit::Link { from: Addr::Node(1), to: Addr::Node(2) }));
    let near_b = l.a_pos.lerp(l.b_pos, 0.7);
    assert_eq!(hit(&s, near_b), Some(Hit::Link { from: Addr::Node(2), to: Addr::Node(1) }));
    assert_eq!(hit(&s, Point::new(W - 2.0, H - 2.0)), None);
}

#[test]
fn quorum_sets_and_their_overlap_are_marked() {
    let mut sim = Sim::new(lessons::lesson("quorum-10-3-8").expect("exists")).expect("valid");
    sim.run_until(1_000);
    let s = project(&sim, 1_000.0, W, H);
    let w: Vec<u32> = s.nodes.iter().filter(|n| n.in_write_set).map(|n| n.id).collect();
    let r: Vec<u32> = s.nodes.iter().filter(|n| n.in_read_set).map(|n| n.id).collect();
    assert_eq!(w.len(), 3);
    assert_eq!(r.len(), 8);
    assert!(s.nodes.iter().any(|n| n.in_write_set && n.in_read_set));
}

#[test]
fn a_crashed_node_is_drawn_down() {
    let mut sim = Sim::new(lessons::lesson("waro").expect("exists")).expect("valid");
    sim.run_until(400);
    let s = project(&sim, 400.0, W, H);
    assert!(!s.nodes[2].up);
    assert!(s.nodes[0].up);
    assert_eq!(s.nodes[2].value, "1", "a crashed node shows the value on its disk");
}

#[test]
fn paxos_acceptors_show_max_n_and_accepted_on_disk_and_the_chosen_value() {
    let mut sim = Sim::new(lessons::lesson("paxos-happy").expect("exists")).expect("valid");
    sim.run_until(1_000);
    let s = project(&sim, 1_000.0, W, H);
    assert_eq!(s.chosen, Some(5));
    let a0 = &s.nodes[0];
    assert_eq!((a0.role, a0.name.as_str()), (qscene::Role::Acceptor, "A0"));
    assert!(a0.details.iter().any(|d| d.disk && d.text.starts_with("Max_N 1")), "{:?}", a0.details);
    assert!(a0.details.iter().any(|d| d.disk && d.text == "acc (1,5)"), "{:?}", a0.details);
    let p0 = &s.nodes[3];
    assert_eq!((p0.role, p0.name.as_str()), (qscene::Role::Proposer, "P0"));
    assert!(s.violations.is_empty());
}

#[test]
fn a_broken_invariant_flags_its_nodes() {
    let mut sim = Sim::new(lessons::lesson("paxos-forget").expect("exists")).expect("valid");
    sim.run_until(1_000);
    let s = project(&sim, 1_000.0, W, H);
    assert_eq!(s.violations[0].rule, qcore::paxos::invariants::Rule::TwoValuesChosen);
    assert!(s.nodes[1].flagged, "A1 broke its promise");
}

#[test]
fn a_scene_exports_as_svg_with_every_node_and_escaped_text() {
    let mut sim = qcore::Sim::new(qcore::lessons::lesson("quorum-3-2-2").unwrap()).unwrap();
    sim.run_until(70);
    let mut scene = qscene::project(&sim, 70.0, 800.0, 500.0);
    assert!(!scene.messages.is_empty(), "messages in flight at tick 70");
    scene.nodes[0].value = "<b>&\"x\"".to_string();
    let svg = qscene::svg::to_svg(&scene);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    for n in &scene.nodes {
        assert!(svg.contains(&format!(">{}</text>", n.name)), "{}", n.name);
    }
    assert!(svg.contains("&lt;b&gt;&amp;&quot;x&quot;"), "text is escaped");
    assert!(!svg.contains("<b>"));
    // Every element that opens closes: text and svg pairs match.
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    assert_eq!(svg.matches("<circle").count(), scene.nodes.len() + scene.messages.len());
}

#[test]
fn the_space_time_diagram_exports_as_svg() {
    let s = qcore::lessons::lesson("zab-election").unwrap();
    let mut sim = qcore::Sim::new(s.clone()).unwrap();
    sim.run_until(6_000);
    let mut st = qcore::spacetime::SpaceTime::new(s.protocol.nodes(), s.clients);
    st.extend(sim.trace());
    let mut names: Vec<String> =
        (0..s.protocol.nodes()).map(|i| qscene::node_name(&s.protocol, i)).collect();
    names[0] = "<i>".to_string();
    let scene = qscene::layout_spacetime(&st, &names, 0.0, 6_000.0, sim.now(), 900.0, 240.0, None);
    let svg = qscene::svg::spacetime_to_svg(&scene);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.matches("<line").count() >= scene.arrows.len() + scene.lanes.len());
    assert!(svg.contains("&lt;i&gt;") && !svg.contains("<i>"));
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    // The crash of zab-election is drawn.
    assert!(scene.marks.iter().any(|m| m.kind == qcore::spacetime::MarkKind::Crash));
}

#[test]
fn the_still_part_changes_with_events_not_with_time() {
    // Between two events only messages move: the app's still layer is reused.
    let (mut sim, _) = sim_with_message();
    let a = project(&sim, 12.0, W, H);
    let b = project(&sim, 12.9, W, H);
    assert_ne!(a.messages, b.messages, "the message moved");
    assert!(a.same_still(&b));
    // A crash changes a node: the layer must be redrawn.
    sim.act(ActionKind::Crash(1)).expect("valid");
    let c = project(&sim, 12.9, W, H);
    assert!(!b.same_still(&c));
    // So does a resize.
    assert!(!b.same_still(&project(&sim, 12.9, W + 10.0, H)));
}

#[test]
fn the_moving_rects_cover_every_message_and_its_label() {
    let (sim, _) = sim_with_message();
    let scene = project(&sim, 12.5, W, H);
    let labels = qscene::place(&scene, &[]);
    let mut rects = vec![(0.0, 0.0, 1.0, 1.0)];
    scene.moving_rects(&labels, None, &mut rects);
    assert!(!rects.contains(&(0.0, 0.0, 1.0, 1.0)), "what the buffer held is gone");
    assert!(!scene.messages.is_empty());
    let inside = |x: f64, y: f64| {
        rects.iter().any(|&(rx, ry, rw, rh)| x >= rx && x <= rx + rw && y >= ry && y <= ry + rh)
    };
    for m in &scene.messages {
        // The dot with its widest ring.
        for (dx, dy) in [(-11.0, -11.0), (11.0, 11.0)] {
            assert!(inside(m.pos.x + dx, m.pos.y + dy), "{dx},{dy} of {}", m.label);
        }
    }
    assert_eq!(labels.moving().len(), scene.messages.len(), "every label has room here");
    for l in labels.moving() {
        let r = l.rect;
        assert!(inside(r.x, r.y) && inside(r.x + r.w, r.y + r.h), "{l:?}");
    }
    // The clock is covered too.
    assert!(rects.iter().any(|&(x, _, w, _)| x + w >= W - 12.0));
}

/// A frame between events moves the last scene on instead of projecting
/// anew. Both must agree bit for bit, whatever moves: messages on their
/// way, drops fading (the lesson drops stores at tick 150 and crashes a
/// replica at 500), across ticks in which nothing happened.
#[test]
fn a_scene_moved_on_between_events_equals_a_fresh_projection() {
    let (mut moved, mut fading) = (0, 0);
    for name in ["quorum-3-2-2", "paxos-duel", "zab-election"] {
        let mut sim = Sim::new(lessons::lesson(name).expect("exists")).expect("valid");
        let mark = |sim: &Sim| (sim.world().trace_len(), sim.world().trace_hash());
        let mut scene = project(&sim, 0.0, W, H);
        let mut seen = mark(&sim);
        for k in 1..=2_800_u32 {
            let now = f64::from(k) * 0.25;
            sim.run_until(now.floor() as u64);
            if mark(&sim) == seen {
                scene.advance(now);
                assert_eq!(scene, project(&sim, now, W, H), "{name} at {now}");
                moved += 1;
                fading += usize::from(!scene.drops.is_empty());
            } else {
                scene = project(&sim, now, W, H);
                seen = mark(&sim);
            }
        }
    }
    assert!(moved > 1_000 && fading > 100, "{moved} frames moved on, {fading} with drops");
}
