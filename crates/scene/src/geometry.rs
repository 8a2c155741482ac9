//! Plane geometry helpers.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    #[must_use]
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
    #[must_use]
    pub fn lerp(self, to: Point, t: f64) -> Point {
        Point::new(self.x + (to.x - self.x) * t, self.y + (to.y - self.y) * t)
    }
    #[must_use]
    pub fn dist(self, o: Point) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }
}

/// Which side of the directed line `a → b` the point lies on: positive on
/// the left (in screen coordinates, y down), negative on the right.
#[must_use]
pub fn point_side(a: Point, b: Point, p: Point) -> f64 {
    (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
}

/// Distance from `p` to the segment `a–b`, and where along it (0..1) the
/// closest point lies.
#[must_use]
pub fn segment_distance(a: Point, b: Point, p: Point) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return (a.dist(p), 0.0);
    }
    let t = clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    (a.lerp(b, t).dist(p), t)
}

/// Do segments `a–b` and `c–d` cross?
#[must_use]
pub fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let d1 = point_side(a, b, c);
    let d2 = point_side(a, b, d);
    let d3 = point_side(c, d, a);
    let d4 = point_side(c, d, b);
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// `x` limited to `lo..=hi` (`lo` for NaN). The standard `f64::clamp`
/// asserts `lo <= hi` with a message that formats both floats, which links
/// all of Rust's float formatting (about 13 KB of wasm) into the web app.
#[must_use]
#[allow(clippy::manual_clamp)]
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// `(cos a, sin a)` for the layout, by Taylor series after reducing `a` to
/// [-π, π] (error below 1e-9 there). The standard library's versions carry
/// a large argument reduction the layout never needs, which would weigh on
/// the web bundle.
#[must_use]
pub fn cos_sin(a: f64) -> (f64, f64) {
    use std::f64::consts::{PI, TAU};
    let mut x = a % TAU;
    if x > PI {
        x -= TAU;
    } else if x < -PI {
        x += TAU;
    }
    let x2 = x * x;
    let (mut c, mut s) = (1.0, x);
    let (mut tc, mut ts) = (1.0, x);
    for k in 1..=14 {
        let k = f64::from(k);
        tc *= -x2 / ((2.0 * k - 1.0) * (2.0 * k));
        ts *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        c += tc;
        s += ts;
    }
    (c, s)
}

#[cfg(test)]
mod trig_tests {
    #[test]
    fn cos_sin_matches_the_standard_library_around_the_circle() {
        for i in -400..=400 {
            let a = f64::from(i) * 0.0314;
            let (c, s) = super::cos_sin(a);
            assert!((c - a.cos()).abs() < 1e-9 && (s - a.sin()).abs() < 1e-9, "at {a}");
        }
    }
}
