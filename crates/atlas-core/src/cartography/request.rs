//! The one composition point: a [`MapRequest`] — level, thematic layer or preset, visible site
//! layers, focus, extent, size, language, title, names — becomes a [`Scene`] in [`MapRequest::scene`],
//! and an export in [`crate::render::ExportJob::of_request`]. The window's canvas, its export dialog and the
//! command line's `export` all go through here, so what is exported is what is on screen.

use crate::analysis::indicators::IndicatorSet;
use crate::cartography::choropleth::{Choropleth, ChoroplethError, ChoroplethSpec, build};
use crate::cartography::labels::LabelLayer;
use crate::cartography::presets::Preset;
use crate::cartography::scene::Scene;
use crate::i18n::Lang;
use crate::model::{Ags, Atlas, Level};
use crate::sites::SiteType;

/// Everything that decides what a map shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRequest {
    /// The level whose regions are drawn when there is no thematic layer.
    pub level: Level,
    /// The thematic layer (its level wins over `level`).
    pub theme: Option<ChoroplethSpec>,
    /// The report figure the map reproduces: its title (unless `title` is set) and its note on
    /// the legend.
    pub preset: Option<Preset>,
    /// The visible site layers.
    pub site_types: Vec<SiteType>,
    /// The region to outline; an export fits it unless `extent` is set.
    pub focus: Option<Ags>,
    /// The map extent in EPSG:25832 (e.g. the window's view); `None` fits the focus or NRW.
    pub extent: Option<geo::Rect<f64>>,
    /// Width of an export in pixels.
    pub width: u32,
    /// Height of an export in pixels.
    pub height: u32,
    /// The language of legend, title and furniture.
    pub lang: Lang,
    /// A title of one's own (else the preset's, else none).
    pub title: Option<String>,
    /// Whether the region names are placed on the map.
    pub labels: bool,
}

impl MapRequest {
    /// The plain map of a level: no thematic layer, no sites, all NRW, 1600 × 1200 px.
    pub fn new(level: Level, lang: Lang) -> MapRequest {
        MapRequest {
            level,
            theme: None,
            preset: None,
            site_types: Vec::new(),
            focus: None,
            extent: None,
            width: 1600,
            height: 1200,
            lang,
            title: None,
            labels: false,
        }
    }

    /// The map of a report figure: its level, thematic layer and site layers.
    pub fn preset(preset: &Preset, lang: Lang) -> MapRequest {
        MapRequest {
            level: preset.level,
            theme: preset.spec.clone(),
            preset: Some(preset.clone()),
            site_types: preset.site_types.clone(),
            ..MapRequest::new(preset.level, lang)
        }
    }

    /// The level whose regions are filled: the thematic layer's, else [`MapRequest::level`].
    pub fn scene_level(&self) -> Level {
        self.theme.as_ref().map_or(self.level, |spec| spec.level)
    }

    /// The thematic layer, classified and coloured (`None` without one). Costly on Gemeinde
    /// level: the window keeps the result and rebuilds it only when [`MapRequest::theme`]
    /// changes.
    pub fn choropleth(
        &self,
        atlas: &Atlas,
        indicators: &IndicatorSet,
    ) -> Result<Option<Choropleth>, ChoroplethError> {
        self.theme
            .as_ref()
            .map(|spec| build(atlas, indicators, spec, self.lang))
            .transpose()
    }

    /// The scene of this request, given its thematic layer as built by
    /// [`MapRequest::choropleth`] (a map of another level is ignored).
    pub fn scene(&self, atlas: &Atlas, map: Option<&Choropleth>) -> Scene {
        let mut scene = Scene::base(atlas, self.scene_level(), self.lang);
        if let Some(map) = map {
            scene = scene.with_choropleth(map);
            if let (Some(legend), Some(preset)) = (scene.legend.as_mut(), &self.preset) {
                preset.annotate(legend, self.lang);
            }
        }
        scene.title = self
            .title
            .clone()
            .or_else(|| self.preset.as_ref().map(|p| p.title(self.lang).to_owned()));
        if !self.site_types.is_empty() {
            scene = scene.with_sites_attribution(self.lang);
        }
        if self.labels {
            scene.labels = Some(LabelLayer::of(atlas, scene.level));
        }
        scene
    }
}

/// The scene of a request in one call: its thematic layer built and composed.
///
/// ```
/// use atlas_core::cartography::presets::preset;
/// use atlas_core::cartography::request::{MapRequest, compose};
/// use atlas_core::i18n::Lang;
///
/// let dir = atlas_core::data::bundled_data_dir();
/// let atlas = atlas_core::data::load_atlas(&dir)?;
/// let indicators = atlas_core::data::thematic::load_indicators(&atlas, &dir)?;
/// let abb16 = preset("abb16").expect("a preset of the report");
/// let scene = compose(&atlas, &indicators, &MapRequest::preset(&abb16, Lang::En))?;
/// assert_eq!(scene.fills.len(), 53);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compose(
    atlas: &Atlas,
    indicators: &IndicatorSet,
    request: &MapRequest,
) -> Result<Scene, ChoroplethError> {
    let map = request.choropleth(atlas, indicators)?;
    Ok(request.scene(atlas, map.as_ref()))
}
