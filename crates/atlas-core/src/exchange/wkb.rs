//! ISO Well-Known Binary (little endian) of the exchange shapes, and the GeoPackage binary
//! geometry around it (GeoPackage 1.3 §2.1.3: `GP`, version 0, flags, srs_id, envelope, WKB).

use geo::{LineString, MultiPolygon, Polygon};

use super::Shape;

const WKB_POINT: u32 = 1;
const WKB_POLYGON: u32 = 3;
const WKB_MULTIPOLYGON: u32 = 6;
/// The byte-order mark of little-endian WKB (NDR).
const LITTLE_ENDIAN: u8 = 1;

/// The ISO WKB of a shape.
pub fn wkb(shape: &Shape) -> Vec<u8> {
    let mut out = Vec::new();
    match shape {
        Shape::Point { x, y } => {
            header(&mut out, WKB_POINT);
            coord(&mut out, *x, *y);
        }
        Shape::MultiPolygon(mp) => multipolygon(&mut out, mp),
    }
    out
}

/// The GeoPackage binary geometry of a shape in the spatial reference system `srs_id`: the
/// standard header with an `[min_x, max_x, min_y, max_y]` envelope (flags: little endian,
/// envelope code 1) for areas, no envelope for points (the point is its own envelope), then
/// the WKB.
pub fn gpkg_geometry(shape: &Shape, srs_id: i32) -> Vec<u8> {
    let with_envelope = matches!(shape, Shape::MultiPolygon(_));
    let envelope_code: u8 = if with_envelope { 1 } else { 0 };
    // Flags: bit 0 byte order (1 = little endian), bits 1–3 envelope code, bit 4 empty, bit 5 extended.
    let flags = LITTLE_ENDIAN | (envelope_code << 1);
    let mut out = vec![b'G', b'P', 0, flags];
    out.extend_from_slice(&srs_id.to_le_bytes());
    if with_envelope {
        for v in shape.envelope() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(&wkb(shape));
    out
}

fn header(out: &mut Vec<u8>, kind: u32) {
    out.push(LITTLE_ENDIAN);
    out.extend_from_slice(&kind.to_le_bytes());
}

fn coord(out: &mut Vec<u8>, x: f64, y: f64) {
    out.extend_from_slice(&x.to_le_bytes());
    out.extend_from_slice(&y.to_le_bytes());
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "WKB counts are u32; a region has far fewer rings and points"
)]
fn count(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn multipolygon(out: &mut Vec<u8>, mp: &MultiPolygon<f64>) {
    header(out, WKB_MULTIPOLYGON);
    count(out, mp.0.len());
    for polygon in &mp.0 {
        polygon_wkb(out, polygon);
    }
}

fn polygon_wkb(out: &mut Vec<u8>, polygon: &Polygon<f64>) {
    header(out, WKB_POLYGON);
    count(out, 1 + polygon.interiors().len());
    ring(out, polygon.exterior());
    for hole in polygon.interiors() {
        ring(out, hole);
    }
}

fn ring(out: &mut Vec<u8>, ring: &LineString<f64>) {
    count(out, ring.0.len());
    for c in &ring.0 {
        coord(out, c.x, c.y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_21_bytes_of_little_endian_wkb() {
        let bytes = wkb(&Shape::Point { x: 1.0, y: 2.0 });
        assert_eq!(bytes.len(), 21);
        assert_eq!(&bytes[..5], &[1, 1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(bytes[5..13].try_into().unwrap()), 1.0);
    }

    #[test]
    fn the_gpkg_header_holds_magic_flags_srs_and_envelope() {
        use geo::polygon;
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 3.0), (x: 0.0, y: 0.0)];
        let bytes = gpkg_geometry(&Shape::MultiPolygon(MultiPolygon(vec![square])), 25832);
        assert_eq!(&bytes[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(bytes[4..8].try_into().unwrap()), 25832);
        let env: Vec<f64> = (0..4)
            .map(|i| f64::from_le_bytes(bytes[8 + 8 * i..16 + 8 * i].try_into().unwrap()))
            .collect();
        assert_eq!(env, vec![0.0, 2.0, 0.0, 3.0]);
        assert_eq!(bytes[40], 1, "WKB byte order after the header");
        assert_eq!(u32::from_le_bytes(bytes[41..45].try_into().unwrap()), 6);
    }
}
