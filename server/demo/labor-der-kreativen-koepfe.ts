/**
 * The demo dossier: a continuation decision for a city's maker and
 * innovation lab after its smart-city grant ends. Written for Ratsdossier,
 * modelled on Bavarian continuation decisions (Maßnahmenbeschluss zur
 * Verstetigung); the city, figures and people are invented.
 */
import type { BudgetLine } from '../../dossier/content';
import { bold, doc, italic, li, link, ol, p, quote, table, ul } from '../../dossier/rich-text';
import type { SectionContents } from '../dossiers/create';

export const demoTitle = 'Verstetigung des Labors der kreativen Köpfe – Maßnahmenbeschluss';

const account = (produkt: string, kostenstelle: string, sachkonto: string) => ({ produkt, kostenstelle, sachkonto, haushaltsstelle: '' });

const euros = (amounts: Record<number, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(amounts).map(([year, value]) => [year, Math.round(value * 100)]));

const lines: BudgetLine[] = [
  {
    id: 'laborleitung',
    costType: 'personal',
    recurrence: 'laufend',
    description: 'Laborleitung (1,0 VZÄ, EG 11 TVöD)',
    account: account('1.1.1.08', '120800', '50120000'),
    amounts: euros({ 2027: 78_600, 2028: 80_960, 2029: 83_390 }),
  },
  {
    id: 'community',
    costType: 'personal',
    recurrence: 'laufend',
    description: 'Community-Management (0,5 VZÄ, EG 9b TVöD)',
    account: account('1.1.1.08', '120800', '50120000'),
    amounts: euros({ 2027: 33_200, 2028: 34_200, 2029: 35_230 }),
  },
  {
    id: 'miete',
    costType: 'sach',
    recurrence: 'laufend',
    description: 'Miete und Nebenkosten der Laborfläche Am Kornmarkt',
    account: account('1.1.1.08', '120800', '52310000'),
    amounts: euros({ 2027: 36_000, 2028: 36_000, 2029: 37_080 }),
  },
  {
    id: 'betrieb',
    costType: 'sach',
    recurrence: 'laufend',
    description: 'Verbrauchsmaterial, Veranstaltungen, Softwarelizenzen',
    account: account('1.1.1.08', '120800', '54310000'),
    amounts: euros({ 2027: 18_500, 2028: 18_500, 2029: 18_500 }),
  },
  {
    id: 'geraete',
    costType: 'investition',
    recurrence: 'einmalig',
    description: 'Ersatzbeschaffung 3D-Drucker und Lasercutter',
    account: account('1.1.1.08', '120800', '78320000'),
    amounts: euros({ 2027: 24_000 }),
  },
  {
    id: 'kooperation',
    costType: 'ertrag',
    recurrence: 'laufend',
    description: 'Kostenbeteiligung Ostbayerische Hochschule und Landkreis',
    account: account('1.1.1.08', '120800', '44820000'),
    amounts: euros({ 2027: 20_000, 2028: 20_000, 2029: 20_000 }),
  },
  {
    id: 'entgelte',
    costType: 'ertrag',
    recurrence: 'laufend',
    description: 'Teilnahmeentgelte Werkstattkurse',
    account: account('1.1.1.08', '120800', '43210000'),
    amounts: euros({ 2027: 6_000, 2028: 7_500, 2029: 8_000 }),
  },
];

export const demoContents: SectionContents = {
  kopf: {
    fields: {
      'vorlage-art': 'beschlussvorlage',
      oeffentlichkeit: 'oeffentlich',
      datum: '2026-11-18',
      aktenzeichen: 'SC-12/0231/2026',
      federfuehrend: 'Amt für Digitalisierung und Smart City',
      // department ids (demo/people.ts): they may read the Vorlage and co-sign it
      beteiligt: ['kaemmerei', 'personalamt', 'rechtsamt', 'klimaschutz'],
      berichterstattung: 'Referentin für Digitalisierung, Dr. Miriam Albrecht',
    },
  },
  beratungsfolge: {
    rows: [
      { id: 'digital', body: 'Ausschuss für Digitalisierung und Smart City', date: '2027-01-20', role: 'vorberatung', public: true, result: '' },
      { id: 'finanz', body: 'Finanz- und Wirtschaftsausschuss', date: '2027-01-27', role: 'vorberatung', public: true, result: '' },
      { id: 'stadtrat', body: 'Stadtrat', date: '2027-02-11', role: 'entscheidung', public: true, result: '' },
    ],
  },
  betreff: doc(p(demoTitle)),
  beschlussvorschlag: doc(
    p('Der Stadtrat beschließt:'),
    ol(
      'Das im Förderprogramm „Modellprojekte Smart Cities“ erprobte Labor der kreativen Köpfe wird ab dem 1. Januar 2027 als dauerhafte Einrichtung des Amtes für Digitalisierung und Smart City weitergeführt. Weitergeführt werden die offene Werkstatt, die Sprechstunde „Digitale Ideen für die Verwaltung“ und das Reparatur-Café; die Veranstaltungsreihe der Förderphase endet.',
      'Für den Betrieb werden im Haushalt 2027 Mittel mit einer Nettobelastung von 164.300 € und in der Finanzplanung 2028 und 2029 von jährlich rund 145.000 € veranschlagt. Die Stellen für die Laborleitung (1,0 VZÄ) und das Community-Management (0,5 VZÄ) werden in den Stellenplan 2027 aufgenommen.',
      'Die Verwaltung wird beauftragt, mit der Ostbayerischen Hochschule und dem Landkreis eine Kooperationsvereinbarung über eine Kostenbeteiligung von zusammen 20.000 € jährlich abzuschließen.',
      'Die Verwaltung berichtet dem Ausschuss für Digitalisierung und Smart City bis zum 30. Juni 2028 über Nutzung und Wirkung anhand der in dieser Vorlage genannten Indikatoren. Auf dieser Grundlage entscheidet der Stadtrat bis zum Haushalt 2030 über die weitere Fortführung.',
    ),
  ),
  ausgangslage: doc(
    p(
      'Viele Ideen für digitale Angebote der Stadt entstehen bei Bürgerinnen und Bürgern, in Vereinen, an der Hochschule und in den Ämtern selbst – aber es fehlte ein Ort, an dem sie ',
      bold('schnell und ohne Beschaffungsverfahren ausprobiert'),
      ' werden können. Prototypen wurden bisher entweder gar nicht gebaut oder gleich als teures Projekt ausgeschrieben.',
    ),
    p(
      'Mit dem Labor der kreativen Köpfe hat die Stadt diese Lücke in der Förderphase des Programms „Modellprojekte Smart Cities“ (Bundesanteil 65 %) geschlossen. Die erste Phase lief von Juni 2023 bis Juni 2024, die zweite bis Dezember 2026. Die Förderung endet am 31. Dezember 2026.',
    ),
    p('Die Pilotphase hat geliefert:'),
    ul(
      li('eine offene Werkstatt mit 3D-Druck, Lasercutter, Elektronik- und Sensorik-Arbeitsplätzen an vier Tagen pro Woche,'),
      li(
        '27 Prototypen, davon sechs in den Regelbetrieb übernommen, unter anderem:',
        ul(
          'die Pegel-Warnung für die Altstadtkeller,',
          'der digitale Belegungsplan der Schulturnhallen,',
          'die Sitzbank-Sensoren für die Hitzeaktionsplanung.',
        ),
      ),
      li('ein monatliches Reparatur-Café mit der Volkshochschule.'),
    ),
    p(
      'Das Labor setzt das Handlungsfeld „Teilhabe und Innovation“ der ',
      link('Smart-City-Strategie', 'https://www.example.de/smart-city/strategie'),
      ' um und ist im Stadtentwicklungskonzept 2035 als Baustein der Innenstadtbelebung genannt.',
    ),
  ),
  zielgruppen: doc(
    p(bold('Nutzende'), ' sind vor allem drei Gruppen:'),
    ul(
      'Bürgerinnen und Bürger, Schülerinnen und Schüler sowie Vereine, die die offene Werkstatt und das Reparatur-Café besuchen,',
      'Beschäftigte der Stadtverwaltung, die in der Sprechstunde „Digitale Ideen für die Verwaltung“ Prototypen für ihre Fachaufgaben entwickeln,',
      'Studierende und Lehrende der Ostbayerischen Hochschule, die Projekte und Abschlussarbeiten mit städtischen Fragestellungen durchführen.',
    ),
    p(
      bold('Kundinnen und Kunden'),
      ' – also diejenigen, die für den Dienst bezahlen – sind nicht identisch mit den Nutzenden: Den Kern finanziert die Stadt aus dem Budget des Amtes für Digitalisierung und Smart City; die Hochschule und der Landkreis beteiligen sich an den Kosten, weil ihre Studierenden und Gemeinden das Labor nutzen. Teilnahmeentgelte für Werkstattkurse decken einen kleinen Teil der Sachkosten.',
    ),
    p(
      'Der ',
      italic('Kern des Dienstes'),
      ', der weitergeführt wird, ist die betreute offene Werkstatt mit der Sprechstunde für die Verwaltung. Über Ziel und Nutzen informieren ein Jahresbericht an den Ausschuss, das Intranet und der Newsletter des Labors.',
    ),
  ),
  wirkung: doc(
    p('Die Wirkung wird an fünf Indikatoren gemessen. Ausgangswerte stammen aus dem ersten vollen Betriebsjahr der Pilotphase (2024).'),
    table(
      ['Indikator', 'Ausgangswert 2024', 'Zielwert 2028', 'Messung (wer, wie oft)'],
      ['Besuche der offenen Werkstatt pro Jahr', '2.140', '3.000', 'Laborleitung, Zählung am Eingang, monatlich'],
      ['Prototypen aus der Verwaltung pro Jahr', '9', '12', 'Laborleitung, Projektliste, halbjährlich'],
      ['in den Regelbetrieb übernommene Prototypen (kumuliert)', '6', '12', 'Amt für Digitalisierung, jährlich'],
      ['reparierte Geräte im Reparatur-Café pro Jahr', '310', '450', 'Volkshochschule, Reparaturprotokolle, quartalsweise'],
      ['Zufriedenheit der Nutzenden (Schulnote)', '1,8', 'besser als 2,0', 'Online-Befragung, jährlich'],
    ),
    p('Aus der Pilotphase liegen neben den Zahlen Rückmeldungen der Nutzenden vor, zum Beispiel:'),
    quote(
      p('„Ohne das Labor hätten wir den Belegungsplan für die Turnhallen nie ausprobiert – nach drei Wochen lief die erste Version.“ (Schulverwaltungsamt)'),
    ),
  ),
  betreibermodell: doc(
    p(
      'Das Labor wird ',
      bold('in Eigenregie'),
      ' durch das Amt für Digitalisierung und Smart City betrieben. Zuständig ist dauerhaft das Sachgebiet Innovation; Ansprechperson ist die Laborleitung.',
    ),
    ul(
      li('Personal: Laborleitung (1,0 VZÄ) und Community-Management (0,5 VZÄ), beide bisher befristet aus Fördermitteln finanziert.'),
      li(
        'IT: Die Arbeitsplätze sind vom städtischen Netz getrennt; Konten und Lizenzen verwaltet der kommunale IT-Dienstleister im Rahmen des bestehenden Vertrags.',
      ),
      li(
        'Daten: Im Labor entstehende Prototypen werden als Open Source veröffentlicht; personenbezogene Daten werden nur in Prototypen der Verwaltung und nur nach Freigabe durch den Datenschutz verarbeitet.',
      ),
      li('Wartung und Updates der Geräte übernimmt die Laborleitung; Ersatzbeschaffungen sind etwa alle fünf Jahre nötig.'),
    ),
    p(
      'Ausstiegsplan: Endet der Betrieb, werden die Geräte an Schulen und die Volkshochschule übergeben, der Mietvertrag ist mit sechs Monaten Frist kündbar. Das Betriebskonzept (Anlage 2) kann von anderen Kommunen nachgenutzt werden; zwei Nachbargemeinden haben Interesse angemeldet.',
    ),
  ),
  alternativen: doc(
    p(
      'Wird das Labor nicht weitergeführt, endet der Betrieb am 31. Dezember 2026. Die befristeten Stellen laufen aus, die Laborfläche wird gekündigt, die Geräte werden Schulen angeboten. Laufende Prototypen der Verwaltung müssten abgebrochen oder extern beauftragt werden; nach den Erfahrungen der Pilotphase kostet ein extern beauftragter Prototyp zwischen 15.000 € und 40.000 €.',
    ),
    p(
      'Eine reine Fortführung des Reparatur-Cafés durch die Volkshochschule wurde geprüft. Sie erhält das ehrenamtliche Angebot, nicht aber die Sprechstunde für die Verwaltung, die den größten Nutzen für die Stadt bringt.',
    ),
  ),
  finanzen: {
    // the budget year 2027 and the two years of the Finanzplanung the lines cover
    firstYear: 2027,
    lastYear: 2029,
    lines,
    coverage: {
      kind: 'vorhanden',
      text: 'Die Mittel sind im Entwurf des Haushalts 2027 und in der Finanzplanung bis 2029 beim Produkt 1.1.1.08 „Digitalisierung und Smart City“ veranschlagt.',
    },
    followUpCosts: 'Ab 2030 laufende Nettokosten von rund 150.000 € jährlich; Ersatzinvestitionen in Geräte von etwa 25.000 € alle fünf Jahre.',
    statement: doc(
      p(
        'Die Kämmerei hat die Kostenaufstellung geprüft. Die Personalkosten beruhen auf den Durchschnittssätzen der KGSt 2026 mit einer Tarifsteigerung von 3 % jährlich. Die Kostenbeteiligung Dritter ist erst nach Abschluss der Kooperationsvereinbarung gesichert; bis dahin ist sie als Ertrag ',
        italic('in Aussicht gestellt'),
        ' veranschlagt.',
      ),
    ),
  },
  klima: {
    value: 'ja-positiv',
    texts: {
      erlaeuterung: doc(
        p(
          'Das Reparatur-Café verlängert die Nutzungsdauer von Geräten (2024: 310 reparierte Geräte, nach Faustwerten des Umweltbundesamtes rund 9 t CO₂-Äquivalente vermiedene Emissionen). Sensorik-Prototypen unterstützen die Hitzeaktionsplanung. Der Strombedarf der Geräte (etwa 6.000 kWh im Jahr) wird mit Ökostrom gedeckt.',
        ),
      ),
      alternativen: doc(p()),
    },
  },
  anlagen: {
    items: [
      { id: 'evaluation', title: 'Evaluationsbericht der Pilotphase 2023–2026', public: true },
      { id: 'betriebskonzept', title: 'Betriebskonzept Labor der kreativen Köpfe', public: true },
      { id: 'kosten', title: 'Kostenaufstellung und Stellenbewertung', public: false },
    ],
  },
};
