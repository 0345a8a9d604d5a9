//! Writes a reproducible address list for the whole-command `pip` benchmark: `id,lon,lat,strasse`
//! with `N` random WGS84 points over NRW's bounding box (seed fixed, LF line ends), the same rows
//! as `benches/pip.rs` uses.
//!
//! `cargo run --release --example pip_points -- 1000000 /tmp/points-1m.csv`

use std::io::Write as _;

use rand::{Rng as _, SeedableRng as _};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: pip_points COUNT FILE.csv");
        std::process::exit(2);
    };
    let Ok(count) = count.replace('_', "").parse::<usize>() else {
        eprintln!("pip_points: COUNT {count:?} is not a whole number");
        std::process::exit(2);
    };
    let file = std::fs::File::create(&path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(b"id,lon,lat,strasse\n")?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(1_000_000);
    for i in 0..count {
        let (lon, lat): (f64, f64) = (rng.random_range(5.8..9.5), rng.random_range(50.3..52.6));
        writeln!(out, "{i},{lon:.6},{lat:.6},Hauptstra\u{df}e {}", i % 200)?;
    }
    out.flush()
}
