-- 010_schema.sql: the reference case-management system's reporting database, schema cms.
--
-- Shaped like a youth justice case system's own tables (NOT like the YJB return), in the
-- system's local codes (docs/design.md "Local codes"; the other code lists are listed per
-- column below). Every table has sys_from, the time its current version was recorded;
-- 020_history.sql keeps the older versions. There are no foreign keys, as in most reporting
-- replicas: the extraction queries join through the child and drop orphans.
--
-- Applying this file RECREATES the warehouse: it drops schemas cms, cms_history and cms_asof
-- and everything in them. It is meant for the reference/test warehouse only.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS cms_asof CASCADE;
DROP SCHEMA IF EXISTS cms_history CASCADE;
DROP SCHEMA IF EXISTS cms CASCADE;
CREATE SCHEMA cms;
COMMENT ON SCHEMA cms IS 'Reference case-management system: current rows, local codes';

-- The child. sex_cd M/F/U; ethnicity_cd as design.md.
-- gender_cd (gender term used): B boy, G girl, NB non-binary, O other term, NS not stated.
-- gender_same_flag: gender identified is the same as sex registered at birth; NULL when NS.
-- nationality_cd: UK, IE Irish, PL Polish, RO Romanian, LT Lithuanian, AF Afghan,
-- ER Eritrean, SY Syrian, AL Albanian, OT other, NK not known.
-- religion_cd: NON no religion, CHR Christian, MUS Muslim, HIN Hindu, SIK Sikh, JEW Jewish,
-- BUD Buddhist, OTH other, NS not stated.
-- language_cd (preferred language): ENG English, POL Polish, RON Romanian, LIT Lithuanian,
-- PUS Pashto, TIR Tigrinya, ARA Arabic, SQI Albanian, OTH other.
-- immigration_cd: NA not applicable (British or Irish), SET settled status, PRE pre-settled
-- status, ASY asylum seeker, UAS unaccompanied asylum-seeking child, REF refugee, OTH other,
-- UNK unknown.
CREATE TABLE cms.young_person (
    yp_id                     bigint PRIMARY KEY,
    ypid                      text,          -- YJB person id, e.g. YP01234567
    pnc                       text,          -- Police National Computer id, e.g. 19/123456X
    dob                       date,
    sex_cd                    text,
    ethnicity_cd              text,
    first_contact_date        date,          -- first contact with this service
    originating_yot_person_id text,          -- set when transferred in from another service
    gender_cd                 text,
    gender_same_flag          boolean,
    nationality_cd            text,
    religion_cd               text,
    language_cd               text,
    immigration_cd            text,
    sys_from                  timestamptz NOT NULL DEFAULT now()
);

-- One offence. category_cd VAP ROB DRG BUR THF VEH WPN ARS CDM MOT BRC SEX PUB OTH;
-- plea_cd G NG NP NA; gravity 1-8 (YJB seriousness score).
CREATE TABLE cms.offence (
    offence_id        bigint PRIMARY KEY,
    yp_id             bigint NOT NULL,
    offence_date      date,
    arrest_date       date,
    description       text,
    postcode_district text,                  -- district only, e.g. ME4
    cjs_code          text,
    plea_cd           text,
    category_cd       text,
    gravity           smallint,
    knife_flag        boolean,
    sys_from          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offence_yp_id_idx ON cms.offence (yp_id);

-- Legal outcomes, per offence. outcome_cd CR CRY O22 YC YCC RO YRO DTO S250 S254 S259 FINE
-- CDIS ADIS UNK OTH; appeal_cd NULL/CHG/SUC/UNS; residence_cd L (local) / O (other area).
-- The term of the outcome in one natural unit (the others NULL; all NULL when it has no
-- term): months for RO YRO DTO CDIS, years for S250 S259.
CREATE TABLE cms.outcome (
    outcome_id       bigint PRIMARY KEY,
    offence_id       bigint NOT NULL,
    yp_id            bigint NOT NULL,
    outcome_date     date,
    outcome_end_date date,
    outcome_cd       text,
    main_flag        boolean,
    appeal_cd        text,
    residence_cd     text,
    term_days        smallint,
    term_weeks       smallint,
    term_months      smallint,
    term_years       smallint,
    sys_from         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_yp_id_idx ON cms.outcome (yp_id);
CREATE INDEX outcome_offence_id_idx ON cms.outcome (offence_id);

-- Intervention programmes (orders and out-of-court programmes). disposal_cd CR CRY O22 YC YCC
-- RO YRO DTOC DTOL S250 S254 S259. end_date NULL = still open. completed_flag NULL while open.
CREATE TABLE cms.programme (
    programme_id   bigint PRIMARY KEY,
    yp_id          bigint NOT NULL,
    start_date     date,
    end_date       date,
    disposal_cd    text,
    victim_flag    boolean,                  -- an identified victim
    completed_flag boolean,                  -- programme successfully completed
    hearing_id     bigint,                   -- the court hearing that imposed the order;
                                             -- NULL for out-of-court programmes
    sys_from       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX programme_yp_id_idx ON cms.programme (yp_id);

CREATE TABLE cms.programme_offence (
    programme_id bigint NOT NULL,
    offence_id   bigint NOT NULL,
    yp_id        bigint NOT NULL,
    sys_from     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (programme_id, offence_id)
);
CREATE INDEX programme_offence_yp_id_idx ON cms.programme_offence (yp_id);

-- Court hearings. court_type_cd: YC youth court, MC adult magistrates' court, CC Crown Court.
-- court_name: the court (an institution), e.g. 'Medway Youth Court'. remand_cd (decision at
-- the hearing): UB unconditional bail, CB conditional bail, RLA remand to local authority
-- accommodation, RYDA remand to youth detention accommodation, NON no remand decision.
CREATE TABLE cms.hearing (
    hearing_id    bigint PRIMARY KEY,
    yp_id         bigint NOT NULL,
    hearing_date  date,
    court_type_cd text,
    court_name    text,
    remand_cd     text,
    sys_from      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hearing_yp_id_idx ON cms.hearing (yp_id);

-- The offences each hearing dealt with.
CREATE TABLE cms.hearing_offence (
    hearing_id bigint NOT NULL,
    offence_id bigint NOT NULL,
    yp_id      bigint NOT NULL,
    sys_from   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hearing_id, offence_id)
);
CREATE INDEX hearing_offence_yp_id_idx ON cms.hearing_offence (yp_id);

-- The pre-sentence report's proposal at a sentencing hearing. proposal_cd: outcome codes
-- RO YRO DTO FINE CDIS ADIS S250 OTH.
CREATE TABLE cms.sentence_proposal (
    proposal_id bigint PRIMARY KEY,
    hearing_id  bigint NOT NULL,
    yp_id       bigint NOT NULL,
    proposal_cd text,
    sys_from    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sentence_proposal_yp_id_idx ON cms.sentence_proposal (yp_id);

-- Police bail, per offence. bail_cd: PB police bail, PBC police bail with conditions,
-- RUI released under investigation. end_date NULL = still on bail / under investigation.
CREATE TABLE cms.police_bail (
    police_bail_id bigint PRIMARY KEY,
    yp_id          bigint NOT NULL,
    offence_id     bigint NOT NULL,
    bail_cd        text,
    start_date     date,
    end_date       date,
    sys_from       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX police_bail_yp_id_idx ON cms.police_bail (yp_id);

-- Requirements of a youth rehabilitation order (outcome). requirement_cd: SUP supervision,
-- UPW unpaid work, CUR curfew, ACT activity, PRG programme, EXC exclusion, ISS intensive
-- supervision and surveillance, ATC attendance centre, MHT mental health treatment,
-- DRT drug treatment, EDU education. Unpaid work hours are NULL for other requirements.
CREATE TABLE cms.requirement (
    requirement_id      bigint PRIMARY KEY,
    outcome_id          bigint NOT NULL,
    yp_id               bigint NOT NULL,
    requirement_cd      text,
    term_months         smallint,
    upw_hours_mandated  smallint,
    upw_hours_completed smallint,
    sys_from            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requirement_yp_id_idx ON cms.requirement (yp_id);

-- Work with parents, per programme. type_cd: PO parenting order, PC parenting contract,
-- VOL voluntary parenting support.
CREATE TABLE cms.parenting_intervention (
    parenting_id      bigint PRIMARY KEY,
    yp_id             bigint NOT NULL,
    programme_id      bigint,
    type_cd           text,
    start_date        date,
    sessions_planned  smallint,
    sessions_attended smallint,
    sys_from          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parenting_intervention_yp_id_idx ON cms.parenting_intervention (yp_id);

-- Transfers between services. direction_cd: IN (from other_service), OUT (to it);
-- other_service is the other service's code, e.g. LAMBTH.
CREATE TABLE cms.transfer (
    transfer_id   bigint PRIMARY KEY,
    yp_id         bigint NOT NULL,
    transfer_date date,
    direction_cd  text,
    other_service text,
    sys_from      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfer_yp_id_idx ON cms.transfer (yp_id);

-- Accommodation episodes. accom_type_cd: PAR with parent(s), FAM family not parents,
-- FRI friends, IND independent, FCL foster LA, FCP foster private, RUL residential LA,
-- RUP residential private, RUS residential secure, SUP supported lodgings, TMP temporary,
-- BAH bail hostel, HOS hospital, TRV traveller site, STC, SCH, YOI (secure estate),
-- BNB bed and breakfast, NFA no fixed abode, UNK unknown, OTH other.
-- suitability_cd S suitable, U unsuitable, K not known.
CREATE TABLE cms.accommodation (
    accommodation_id bigint PRIMARY KEY,
    yp_id            bigint NOT NULL,
    start_date       date,
    end_date         date,
    accom_type_cd    text,
    suitability_cd   text,
    sys_from         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accommodation_yp_id_idx ON cms.accommodation (yp_id);

-- Education, training and employment episodes. provision_cd: SFT school full time,
-- SPT school part time, EHE electively home educated, PRF/PRP PRU full/part time,
-- AOF/AOP other alternative provision full/part time, ALT alternative provision,
-- COL college, UNI university, REP re-engagement programme, TRS traineeship,
-- APP apprenticeship/training course, SIN supported internship, MEN mentoring circle,
-- FTE/PTE full/part time employment, SEL self employed, VOL voluntary work, OTH other,
-- NON not in ETE. suitability_cd S/U/K. Hours per week.
CREATE TABLE cms.ete (
    ete_id         bigint PRIMARY KEY,
    yp_id          bigint NOT NULL,
    start_date     date,
    end_date       date,
    provision_cd   text,
    suitability_cd text,
    hours_offered  smallint,
    hours_attended smallint,
    sys_from       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ete_yp_id_idx ON cms.ete (yp_id);

-- Care and wider-services status. status_cd: LAC looked after, CEX care experienced
-- (care leaver), CPP child protection plan, CIN child in need, EHP early help plan.
CREATE TABLE cms.care_status (
    care_status_id bigint PRIMARY KEY,
    yp_id          bigint NOT NULL,
    status_cd      text,
    start_date     date,
    end_date       date,
    sys_from       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_status_yp_id_idx ON cms.care_status (yp_id);

-- Special educational needs / additional learning needs. plan_cd: EHC education, health and
-- care plan, SSP school SEN support plan, NULL no formal plan.
CREATE TABLE cms.send_aln (
    send_aln_id     bigint PRIMARY KEY,
    yp_id           bigint NOT NULL,
    identified_flag boolean,                 -- an identified SEND/ALN need
    formal_plan_flag boolean,                -- a formal plan for the current academic year
    plan_cd         text,
    start_date      date,
    end_date        date,
    sys_from        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX send_aln_yp_id_idx ON cms.send_aln (yp_id);

-- Mental health and emotional wellbeing screening and interventions.
-- intervention_cd: ADV getting advice, HLP getting help, AHP getting additional help,
-- RSK getting risk support, NON no intervention.
CREATE TABLE cms.mh_screening (
    mh_screening_id     bigint PRIMARY KEY,
    yp_id               bigint NOT NULL,
    screened_date       date,
    need_flag           boolean,             -- screened or identified need
    referred_date       date,
    offered_date        date,
    attended_start_date date,
    attended_end_date   date,
    intervention_cd     text,
    sys_from            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mh_screening_yp_id_idx ON cms.mh_screening (yp_id);

-- Substance misuse screening and interventions. intervention_cd: TGT targeted intervention,
-- SPC specialist substance misuse treatment, CCX complex care, NON no intervention.
CREATE TABLE cms.sm_screening (
    sm_screening_id     bigint PRIMARY KEY,
    yp_id               bigint NOT NULL,
    screened_date       date,
    need_flag           boolean,             -- need for specialist treatment
    referred_date       date,
    offered_date        date,
    attended_start_date date,
    attended_end_date   date,
    intervention_cd     text,
    sys_from            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sm_screening_yp_id_idx ON cms.sm_screening (yp_id);

-- Victim contact, per offence. victim_type_cd: IND individual, BUS business, ORG other
-- organisation. Flags NULL when not asked.
CREATE TABLE cms.victim (
    victim_id                 bigint PRIMARY KEY,
    yp_id                     bigint NOT NULL,
    offence_id                bigint NOT NULL,
    victim_type_cd            text,
    contact_date              date,
    consent_flag              boolean,       -- consented to contact by the service
    view_asked_flag           boolean,       -- view asked before decisions
    rj_engaged_flag           boolean,       -- engaged with restorative justice
    progress_requested_flag   boolean,
    progress_provided_flag    boolean,
    support_requested_flag    boolean,
    support_provided_flag     boolean,
    sys_from                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX victim_yp_id_idx ON cms.victim (yp_id);
CREATE INDEX victim_offence_id_idx ON cms.victim (offence_id);

-- Management board attendance, one row per sector per meeting. quarter as YYYYQn (financial).
-- sector_cd: CSC children's social care, EDU education, POL police, PRB probation, HLT health,
-- OTH other partner (e.g. a voluntary sector representative).
-- new_partner_flag: the partner attended the board for the first time.
CREATE TABLE cms.board_attendance (
    board_attendance_id bigint PRIMARY KEY,
    quarter             text NOT NULL,
    meeting_date        date,
    sector_cd           text,
    attended_flag       boolean,
    senior_flag         boolean,             -- a senior partner attended (not a delegate)
    new_partner_flag    boolean,             -- a partner attending for the first time
    sys_from            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX board_attendance_quarter_idx ON cms.board_attendance (quarter);

-- Local 10-17 population (mid-year estimates). ethnicity_group_cd: W White, M Mixed,
-- A Asian, B Black, O Other.
CREATE TABLE cms.population (
    year               smallint NOT NULL,
    age                smallint NOT NULL,
    sex_cd             text NOT NULL,
    ethnicity_group_cd text NOT NULL,
    headcount          integer NOT NULL,
    sys_from           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, age, sex_cd, ethnicity_group_cd)
);

-- AssetPlus-like assessments. stage_cd: STA start of intervention, REV review, END end.
-- likelihood_cd (of reoffending) L/M/H; rosh_cd (risk of serious harm) and
-- wellbeing_cd (safety and wellbeing) L/M/H/V (V = very high). yogrs 1-99.
CREATE TABLE cms.assessment (
    assessment_id   bigint PRIMARY KEY,
    yp_id           bigint NOT NULL,
    programme_id    bigint,
    assessment_date date,
    stage_cd        text,
    likelihood_cd   text,
    rosh_cd         text,
    wellbeing_cd    text,
    yogrs           smallint,
    sys_from        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_yp_id_idx ON cms.assessment (yp_id);
