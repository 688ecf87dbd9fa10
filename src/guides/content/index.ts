// The built-in picture guides, in the order the guide list shows them (touch-screen basics first).
import type { BuiltinGuide } from './types';
import kosketusnaytonPerusteet from './guides/kosketusnayton-perusteet.json';
import suomifiPankkitunnukset from './guides/suomifi-pankkitunnukset.json';
import suomifiMobiilivarmenne from './guides/suomifi-mobiilivarmenne.json';
import kelaLiite from './guides/kela-liite.json';
import kelaKirjeet from './guides/kela-kirjeet.json';
import whatsappKuva from './guides/whatsapp-kuva.json';
import celiaAanikirjat from './guides/celia-aanikirjat.json';
import eKirjasto from './guides/e-kirjasto.json';
import nettiyhteys from './guides/nettiyhteys.json';
import puhelimenPaivitys from './guides/puhelimen-paivitys.json';
import naytonlukitus from './guides/naytonlukitus.json';
import huijausviesti from './guides/huijausviesti.json';
import omanLaitteenValinta from './guides/oman-laitteen-valinta.json';
import kansalaisaloiteOtakantaa from './guides/kansalaisaloite-otakantaa.json';
import tunnistautuminenIlmanPankkitunnuksia from './guides/tunnistautuminen-ilman-pankkitunnuksia.json';
import toimeentulotukiOmakela from './guides/toimeentulotuki-omakela.json';
import tilioteKelaan from './guides/tiliote-kelaan.json';
import huijauspuhelu from './guides/huijauspuhelu.json';
import suomifiValtuudet from './guides/suomifi-valtuudet.json';
import sahkoposti from './guides/sahkoposti.json';
import tyonhakijaksi from './guides/tyonhakijaksi.json';
import omakantaResepti from './guides/omakanta-resepti.json';
import vuokraAsunnonHaku from './guides/vuokra-asunnon-haku.json';
import puhelimenPerusteet from './guides/puhelimen-perusteet.json';

export type { BuiltinGuide, BuiltinStep, ContentLang, GuideCategory, Localized, StepKind } from './types';

export { CONTENT_VERSION } from './version';

export const builtinGuides: BuiltinGuide[] = [
  kosketusnaytonPerusteet as BuiltinGuide,
  suomifiPankkitunnukset as BuiltinGuide,
  suomifiMobiilivarmenne as BuiltinGuide,
  kelaLiite as BuiltinGuide,
  kelaKirjeet as BuiltinGuide,
  whatsappKuva as BuiltinGuide,
  celiaAanikirjat as BuiltinGuide,
  eKirjasto as BuiltinGuide,
  nettiyhteys as BuiltinGuide,
  puhelimenPaivitys as BuiltinGuide,
  naytonlukitus as BuiltinGuide,
  huijausviesti as BuiltinGuide,
  omanLaitteenValinta as BuiltinGuide,
  kansalaisaloiteOtakantaa as BuiltinGuide,
  tunnistautuminenIlmanPankkitunnuksia as BuiltinGuide,
  toimeentulotukiOmakela as BuiltinGuide,
  tilioteKelaan as BuiltinGuide,
  huijauspuhelu as BuiltinGuide,
  suomifiValtuudet as BuiltinGuide,
  sahkoposti as BuiltinGuide,
  tyonhakijaksi as BuiltinGuide,
  omakantaResepti as BuiltinGuide,
  vuokraAsunnonHaku as BuiltinGuide,
  puhelimenPerusteet as BuiltinGuide,
];
