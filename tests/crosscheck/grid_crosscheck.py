"""Independent cross-check of `grid-coverage`, `catchments` and `access` (documentation only,
not run by `cargo test`). Recomputes the figures with pyproj, shapely, scipy's cKDTree and numpy
from the bundled files, following the documented method, and compares them with the CLI's CSV.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy pyproj shapely pyshp
    /tmp/venv/bin/python tests/crosscheck/grid_crosscheck.py target/release/integrationsatlas
"""
import csv, io, subprocess, sys
import numpy as np, shapefile
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely import STRtree, points
from shapely.geometry import shape

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/debug/integrationsatlas"
GEO = "geodata"
S = 15.0

def run(*args):
    out = subprocess.run([BIN, *args], capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))

# Cells: centre in EPSG:3035 -> EPSG:25832, in the Gemeinde (lowest AGS) whose polygon covers it.
rows = list(csv.DictReader(open(f"{GEO}/grid/zensus2011_1km_nrw.csv")))
t = Transformer.from_crs(3035, 25832, always_xy=True)
x, y = t.transform(np.array([float(r["x_mp_3035"]) for r in rows]), np.array([float(r["y_mp_3035"]) for r in rows]))
sf = shapefile.Reader(f"{GEO}/dvg2/dvg2gem_nw")
keys = [rec["KN"] for rec in sf.records()]
order = np.argsort(keys)
geoms = [shape(sf.shape(int(i)).__geo_interface__) for i in order]
keys = [keys[int(i)] for i in order]
tree = STRtree(geoms)
pts = points(x, y)
pairs = tree.query(pts, predicate="covered_by")
gem = np.full(len(rows), -1)
for p, g in zip(*pairs):
    if gem[p] < 0 or g < gem[p]:
        gem[p] = g
inside = gem >= 0
ew_raw = np.array([int(r["einwohner"]) for r in rows])
ew = np.where(ew_raw < 0, 0, ew_raw).astype(float)
def persons(col):
    pct = np.array([float(r[col]) for r in rows])
    known = (pct >= 0) & (ew_raw >= 0)
    return np.where(known, ew * pct / 100.0, 0.0), known
ausl, ausl_known = persons("auslaender_pct")
u18, _ = persons("unter18_pct")
a65, _ = persons("ab65_pct")
print("cells in NRW", inside.sum(), "inhabitants", int(ew[inside].sum()))

# Sites: lon/lat (ETRS89 = WGS84 here) -> EPSG:25832.
sites = list(csv.DictReader(open(f"{GEO}/sites/abh.csv")))
tw = Transformer.from_crs(4326, 25832, always_xy=True)
sx, sy = tw.transform([float(s["lon"]) for s in sites], [float(s["lat"]) for s in sites])
sxy = np.column_stack([sx, sy])
cxy = np.column_stack([x, y])[inside]
dk, ik = cKDTree(sxy).query(cxy, k=4)
# Ties (sites sharing a seat point) go to the lowest site id, as documented.
ids = np.array([s["id"] for s in sites])
nearest = np.array([min((ik[c][q] for q in range(4) if dk[c][q] <= dk[c][0] + 1e-6), key=lambda j: ids[j]) for c in range(len(cxy))])
d = dk[:, 0] / 1000.0
kreis = np.array([keys[g][:5] for g in gem[inside]])
P, A, U, O = ew[inside], ausl[inside], u18[inside], a65[inside]
unknown = (~ausl_known[inside]) * P

ours = {r["ags"]: r for r in run("grid-coverage", "--type", "ABH", "--threshold-km", str(S), "--level", "kreis")}
worst = {}
for k in sorted(set(kreis)):
    m = kreis == k
    b = m & (d > S)
    o = ours[k]
    srt = np.argsort(d[m]); cum = np.cumsum(P[m][srt]); p90 = d[m][srt][np.searchsorted(cum * 100, P[m].sum() * 90)]
    mine = dict(einwohner=P[m].sum(), einwohner_beyond=P[b].sum(), auslaender=round(A[m].sum()),
                auslaender_beyond=round(A[b].sum()), auslaender_unknown_einwohner=unknown[m].sum(),
                unter18_beyond=round(U[b].sum()), ab65_beyond=round(O[b].sum()),
                mean_km=(P[m] * d[m]).sum() / P[m].sum(), p90_km=p90)
    for key, v in mine.items():
        diff = abs(float(o[key]) - v)
        worst[key] = max(worst.get(key, 0), diff)
print("grid-coverage, largest |difference| over the 53 Kreise:", worst)

cat = {r["site_id"]: r for r in run("catchments", "--type", "ABH")}
cw = {}
for j, s in enumerate(sites):
    m = nearest == j
    o = cat[s["id"]]
    for key, v in dict(einwohner=P[m].sum(), auslaender=round(A[m].sum()), max_km=d[m].max() if m.any() else 0).items():
        cw[key] = max(cw.get(key, 0), abs(float(o[key] or 0) - v))
print("catchments, largest |difference| over the 81 sites (ties to the lowest id):", cw)

# 2SFCA, classic, d0 = S, capacity 1.
pairs = cKDTree(cxy).query_ball_point(sxy, S * 1000.0 + 1e-6)
acc = np.zeros(len(P))
for j, cells in enumerate(pairs):
    cells = np.array([c for c in cells if np.hypot(*(cxy[c] - sxy[j])) <= S * 1000.0], dtype=int)
    demand = P[cells].sum()
    if demand > 0:
        acc[cells] += 1.0 / demand
print("2SFCA invariant sum A_i P_i =", (acc * P).sum())
ours = {r["ags"]: r for r in run("access", "--type", "ABH", "--catchment-km", str(S), "--level", "kreis")}
aw = max(abs(float(ours[k]["value"]) - (acc[kreis == k] * P[kreis == k]).sum() / P[kreis == k].sum() * 1e5) for k in set(kreis))
print("access, largest |difference| over the 53 Kreise (values rounded to 4 decimals):", aw)
