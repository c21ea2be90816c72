-- golden/warehouse.sql: a hand-written synthetic warehouse for the golden-file test
-- (tests/integration/test_golden.c), loaded by harness.sh into database yj_golden after
-- sql/warehouse/*.sql have created the cms tables. Nothing here is real: ids, invented YJB
-- person ids (YPG...), PNC-like ids, and court names of institutions only.
--
-- The return is produced for period 2025Q1 (2025-04-01..2025-06-30) and compared byte for byte
-- with golden/cld-2025Q1.xml. Together the children use every item and link of
-- mappings/schema-11/items.conf, every map file, and every derived field (age, add_years,
-- school_age, service_code, null=1900-01-01, when=). Values are chosen so that a wrong
-- computation shows: ages on the birthday and the day before, school age at the 31 August
-- edge, a 29 February birth, NULL versus real end dates, records just inside and just outside
-- the period, and text that needs escaping.
--
-- Ids: child N is yp_id N. The ids that appear in the return have one range per entity so
-- that a swapped column shows: for child N, offences N11.., hearings N21.., programmes N31..,
-- victims N41.., parenting N51.., assessments N61.., outcomes N71.., requirements N81..,
-- police bail N91.. (child 10 is 1011.., etc.).
-- Every row is recorded as at 2025-07-01 00:00 UTC (sys_from's default is set to it for the
-- load and restored at the end), so that the return read as recorded at a fixed moment is the
-- same bytes whenever the harness loads this file.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'cms' LOOP
        EXECUTE format('ALTER TABLE cms.%I ALTER COLUMN sys_from SET DEFAULT %L', t,
                       '2025-07-01 00:00:00+00');
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Child 1: the nested items and every link. Two offences, each with three outcomes (YRO with
-- four requirements incl. unpaid work hours, OTH with no group, FINE appealed unsuccessfully;
-- RO changed on appeal, CDIS appeal successful, UNK with no group and no care status); police
-- bail under both offences (PB, PBC, RUI still open -> 1900-01-01); a hearing with two
-- sentence proposals; all six links, plus a parenting and an assessment row with no programme
-- (no link written). Care status on offence 111's date: CPP (lower id) and LAC both current
-- -> LAC (most protective first); none on offence 112's date. Offence 111's description needs
-- XML escaping (& < > "). First hearing 2024-11-19 is the day before the 16th birthday (15),
-- 2024-11-20 the birthday (16). Excluded: an outcome (and its requirement) and a police bail
-- dated after 2025-06-30.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (1, 'YPG0000001', '20/000001A', '2008-11-20', 'M', 'WBRI', '2023-03-01',
        NULL, 'B', true, 'UK', 'NON', 'ENG', 'NA');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (111, 1, '2024-10-05', '2024-10-06',
        'Took bike & lock (value <£50 >£20) from "Unit 4" store''s yard',
        'ME4', 'TH68010', 'G', 'THF', 3, false),
       (112, 1, '2023-06-10', NULL, 'Criminal damage to a bus shelter',
        'ME5', 'CD71039', 'NG', 'CDM', 2, NULL);

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (171, 111, 1, '2024-11-20', '2025-11-19', 'YRO', true, NULL, 'L', NULL, NULL, 12, NULL),
       (172, 111, 1, '2024-11-19', NULL, 'OTH', false, NULL, 'L', NULL, NULL, NULL, NULL),
       (173, 111, 1, '2024-11-20', NULL, 'FINE', false, 'UNS', 'L', NULL, NULL, NULL, NULL),
       (174, 112, 1, '2024-11-20', '2025-05-19', 'RO', true, 'CHG', 'L', NULL, NULL, 6, NULL),
       (175, 112, 1, '2025-02-03', '2026-02-02', 'CDIS', true, 'SUC', 'L', NULL, NULL, 12, NULL),
       (176, 112, 1, '2023-06-20', NULL, 'UNK', false, NULL, 'L', NULL, NULL, NULL, NULL),
       -- after the period end: left out, with its requirement 185
       (177, 112, 1, '2025-07-15', NULL, 'YRO', true, NULL, 'L', NULL, NULL, 6, NULL);

INSERT INTO cms.requirement (requirement_id, outcome_id, yp_id, requirement_cd, term_months,
                             upw_hours_mandated, upw_hours_completed)
VALUES (181, 171, 1, 'SUP', 12, NULL, NULL),
       (182, 171, 1, 'UPW', NULL, 40, 12),
       (183, 171, 1, 'CUR', 3, NULL, NULL),
       (184, 171, 1, 'EDU', NULL, NULL, NULL),
       (185, 177, 1, 'ISS', 6, NULL, NULL);

INSERT INTO cms.police_bail (police_bail_id, yp_id, offence_id, bail_cd, start_date, end_date)
VALUES (191, 1, 111, 'PB', '2024-10-06', '2024-10-20'),
       (192, 1, 111, 'PBC', '2024-10-20', '2024-11-19'),
       (193, 1, 112, 'RUI', '2023-06-12', NULL),
       (194, 1, 112, 'PB', '2025-07-05', NULL); -- starts after the period end: left out

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (121, 1, '2024-11-19', 'YC', 'Medway Youth Court', 'CB'),
       (122, 1, '2024-11-20', 'YC', 'Medway Youth Court', 'NON');

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id)
VALUES (121, 111, 1), (122, 111, 1), (122, 112, 1);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (101, 121, 1, 'YRO'), (102, 121, 1, 'RO');

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (131, 1, '2024-11-20', NULL, 'YRO', true, NULL, 122),
       (132, 1, '2024-11-20', '2025-02-03', 'RO', false, false, 122);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (131, 111, 1), (132, 112, 1);

INSERT INTO cms.victim (victim_id, yp_id, offence_id, victim_type_cd, contact_date, consent_flag,
                        view_asked_flag, rj_engaged_flag, progress_requested_flag,
                        progress_provided_flag, support_requested_flag, support_provided_flag)
VALUES (141, 1, 111, 'IND', '2024-12-01', true, true, false, true, true, false, NULL),
       (142, 1, 112, 'BUS', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO cms.parenting_intervention (parenting_id, yp_id, programme_id, type_cd, start_date,
                                        sessions_planned, sessions_attended)
VALUES (151, 1, 131, 'PO', '2024-12-01', 10, 7),
       (152, 1, NULL, 'VOL', '2023-07-01', NULL, NULL);

INSERT INTO cms.assessment (assessment_id, yp_id, programme_id, assessment_date, stage_cd,
                            likelihood_cd, rosh_cd, wellbeing_cd, yogrs)
VALUES (161, 1, 131, '2024-11-25', 'STA', 'H', 'M', 'V', 64),
       (162, 1, NULL, '2025-05-20', 'REV', 'M', 'L', 'H', 55);

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (101, 1, 'CPP', '2024-09-01', '2024-12-31'),
       (102, 1, 'LAC', '2024-10-05', NULL),
       (103, 1, 'CIN', '2024-01-01', '2024-08-31');

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (101, 1, '2023-03-01', '2024-10-04', 'PAR', 'S'),
       (102, 1, '2024-10-05', NULL, 'FCL', 'S');

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (101, 1, '2023-03-01', '2024-07-19', 'SFT', 'S', 25, 20),
       (102, 1, '2024-09-02', NULL, 'PRF', 'U', 25, 10);

-- ---------------------------------------------------------------------------------------------
-- Child 2: ages on the 16th birthday (2025-05-15) and the day before. Offence on 2025-05-14
-- -> 15, arrest on 2025-05-15 -> 16, first hearing 2025-06-10 -> 16. Programme starting
-- 2025-06-10 at 16 but still of statutory school age (16 only after the last 31 August,
-- 2024-08-31, when she was 15) -> true. Girl (sex F -> 2), outcome residence O (OTHER), a
-- magistrates' court with unconditional bail, a care status starting the day after the
-- outcome (so none on the outcome date), a parenting contract linked to the programme.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (2, 'YPG0000002', '25/000002B', '2009-05-15', 'F', 'BCRB', '2025-05-20',
        NULL, 'G', true, 'IE', 'CHR', 'ENG', 'NA');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (211, 2, '2025-05-14', '2025-05-15', 'Assault by beating', 'ME7', 'OF61131', 'G', 'VAP',
        3, false);

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (221, 2, '2025-06-10', 'MC', 'Chatham Magistrates'' Court', 'UB');

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id) VALUES (221, 211, 2);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (201, 221, 2, 'FINE');

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (271, 211, 2, '2025-06-10', '2026-03-09', 'RO', true, NULL, 'O', NULL, NULL, 9, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (231, 2, '2025-06-10', NULL, 'RO', NULL, NULL, 221);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id) VALUES (231, 211, 2);

INSERT INTO cms.parenting_intervention (parenting_id, yp_id, programme_id, type_cd, start_date,
                                        sessions_planned, sessions_attended)
VALUES (251, 2, 231, 'PC', '2025-06-12', 6, 1);

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (201, 2, 'EHP', '2025-06-11', NULL);

INSERT INTO cms.send_aln (send_aln_id, yp_id, identified_flag, formal_plan_flag, plan_cd,
                          start_date, end_date)
VALUES (201, 2, true, false, NULL, '2025-05-20', NULL);

-- ---------------------------------------------------------------------------------------------
-- Child 3: statutory school age at the edge, born 2008-08-31 (16 on 2024-08-31). Programme 331
-- starts 2024-08-30 (last 31 August 2023-08-31, age then 15 -> true; age 15) and ends on the
-- birthday 2024-08-31 (last 31 August is that day, age 16 -> false; age 16). Programme 332
-- starts 2024-09-01 (last 31 August 2024-08-31, age 16 -> false). Out-of-court outcomes YC
-- and YCC (Pre-Court, term in weeks), plea NA, offence on the 16th birthday (age 16).
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (3, 'YPG0000003', '24/000003C', '2008-08-31', 'M', 'MWBC', '2024-08-01',
        NULL, 'NB', false, 'PL', 'MUS', 'POL', 'SET');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (311, 3, '2024-08-28', '2024-08-28', 'Shoplifting', 'ME8', 'TH68010', 'NA', 'THF', 2,
        false),
       (312, 3, '2024-08-31', NULL, 'Possession of cannabis', 'ME8', 'MD71230', 'NA', 'DRG', 2,
        NULL);

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (371, 311, 3, '2024-08-30', NULL, 'YC', true, NULL, 'L', NULL, NULL, NULL, NULL),
       (372, 312, 3, '2024-09-01', '2024-12-22', 'YCC', true, NULL, 'L', NULL, 16, NULL, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (331, 3, '2024-08-30', '2024-08-31', 'YC', false, true, NULL),
       (332, 3, '2024-09-01', '2025-03-01', 'YCC', NULL, false, NULL);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (331, 311, 3), (332, 312, 3);

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (301, 3, '2024-09-02', NULL, 'COL', 'S', 16, 16);

-- ---------------------------------------------------------------------------------------------
-- Child 4: born 2008-09-01, one day after child 3, so a year longer of school age. Programme
-- 431 starts 2024-08-31 (age 15, true) and ends on the 16th birthday 2024-09-01 (age 16, and
-- still true: the last 31 August, 2024-08-31, she was 15). Programme 432 has an end date after
-- the period (as recorded, 2025-08-31: age 16, last 31 August that day -> false) and no
-- completion flag -> no kpi6SuccessfullyCompleted. Programme 433 starts on the period end,
-- has no end date but a completion flag -> no kpi6SuccessfullyCompleted (when=end_date).
-- Outcomes CRY, O22 (term in days), CR; no plea recorded; residence suitability K (UNKNOWN).
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (4, 'YPG0000004', NULL, '2008-09-01', 'F', 'AIND', '2024-08-15',
        NULL, 'O', false, 'RO', 'HIN', 'RON', 'PRE');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (411, 4, '2024-08-20', '2024-08-21', 'Criminal damage to a fence', 'ME1', 'CD71236',
        NULL, 'CDM', 2, false),
       (412, 4, '2025-03-10', '2025-03-10', 'Using threatening words', 'ME1', 'PU86010',
        NULL, 'PUB', 3, NULL),
       (413, 4, '2025-06-02', '2025-06-03', 'Taking a moped without consent', 'ME2', 'TH68046',
        NULL, 'VEH', 3, false);

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (471, 411, 4, '2024-08-31', NULL, 'CRY', true, NULL, 'L', NULL, NULL, NULL, NULL),
       (472, 412, 4, '2025-04-01', '2025-07-21', 'O22', true, NULL, 'L', 112, NULL, NULL, NULL),
       (473, 413, 4, '2025-06-30', NULL, 'CR', true, NULL, 'L', NULL, NULL, NULL, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (431, 4, '2024-08-31', '2024-09-01', 'CRY', false, true, NULL),
       (432, 4, '2025-04-01', '2025-08-31', 'O22', true, NULL, NULL),
       (433, 4, '2025-06-30', NULL, 'CR', false, true, NULL);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (431, 411, 4), (432, 412, 4), (433, 413, 4);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (401, 4, '2024-08-15', '2025-01-31', 'RUL', 'K'),
       (402, 4, '2025-02-01', NULL, 'SUP', 'S');

-- ---------------------------------------------------------------------------------------------
-- Child 5: born 29 February 2008: dateOf18thBirthday 2026-03-01 (2026 has no 29 February).
-- Offence on 2025-02-28 -> 16 (the birthday is taken as 1 March), arrest on 2025-03-01 -> 17.
-- Crown Court, remand to local authority accommodation then youth detention accommodation,
-- proposals DTO and S250, DTO on both offences (one main, one other), custody then licence
-- programmes. Care status on the offence and outcome dates: CPP (lower id) and CEX both
-- current -> CEX. Accommodation TMP/YOI/BNB, two assessments linked to the custody programme.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (5, 'YPG0000005', '24/000005E', '2008-02-29', 'M', 'BAFR', '2024-01-10',
        NULL, 'NS', NULL, 'ER', 'SIK', 'TIR', 'UAS');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (511, 5, '2025-02-28', '2025-03-01', 'Robbery of a mobile phone', 'ME2', 'TH68001', 'NG',
        'ROB', 6, true),
       (512, 5, '2025-03-01', '2025-03-01', 'Possession of a bladed article', 'ME2', 'CJ88116',
        'G', 'WPN', 5, true);

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (521, 5, '2025-04-02', 'CC', 'Maidstone Crown Court', 'RLA'),
       (522, 5, '2025-04-16', 'CC', 'Maidstone Crown Court', 'RYDA');

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id)
VALUES (521, 511, 5), (521, 512, 5), (522, 511, 5), (522, 512, 5);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (501, 521, 5, 'DTO'), (502, 521, 5, 'S250');

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (571, 511, 5, '2025-04-16', '2025-08-15', 'DTO', true, NULL, 'L', NULL, NULL, 4, NULL),
       (572, 512, 5, '2025-04-16', '2025-08-15', 'DTO', false, NULL, 'L', NULL, NULL, 4, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (531, 5, '2025-04-16', '2025-06-15', 'DTOC', true, true, 522),
       (532, 5, '2025-06-16', NULL, 'DTOL', true, NULL, 522);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (531, 511, 5), (531, 512, 5), (532, 511, 5), (532, 512, 5);

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (501, 5, 'CPP', '2024-06-01', '2025-12-31'),
       (502, 5, 'CEX', '2024-01-10', NULL);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (501, 5, '2024-01-10', '2025-04-15', 'TMP', 'U'),
       (502, 5, '2025-04-16', '2025-06-15', 'YOI', 'S'),
       (503, 5, '2025-06-16', NULL, 'BNB', 'U');

INSERT INTO cms.assessment (assessment_id, yp_id, programme_id, assessment_date, stage_cd,
                            likelihood_cd, rosh_cd, wellbeing_cd, yogrs)
VALUES (561, 5, 531, '2025-04-20', 'STA', 'H', 'H', 'M', 78),
       (562, 5, 531, '2025-06-14', 'END', 'H', 'M', 'M', 81);

-- ---------------------------------------------------------------------------------------------
-- Child 6: the period end. Dated 2025-06-30 is in; dated after is out: offence 612
-- (2025-07-01) with its outcome, victim and links; hearing 622 (2025-07-02) with its proposal
-- and links; outcome 672 of an included offence; programme 632 (starts 2025-07-03) and its
-- link; a police bail, victim contact, parenting, assessment, accommodation, ETE, care status,
-- transfer, screenings and SEND record all dated after. Programme 631 names hearing 622 (not
-- in the return) -> no hearingProgrammeLink; parenting 651 and assessment 661 name programme
-- 632 (not in the return) -> written, no link. Outcome UNK with main flag NULL: no
-- mainOrOther, no group, flags false. Accommodation end date after the period, as recorded.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (6, 'YPG0000006', '25/000006F', '2010-01-15', 'M', 'WROM', '2025-06-01',
        NULL, NULL, NULL, 'LT', NULL, 'LIT', 'OTH');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (611, 6, '2025-06-30', '2025-06-30', 'Burglary of a shed', 'ME3', 'TH68037', 'NP', 'BUR',
        4, false),
       (612, 6, '2025-07-01', '2025-07-01', 'Burglary of a garage', 'ME3', 'TH68037', NULL, 'BUR',
        4, false);

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (621, 6, '2025-06-30', 'YC', 'Medway Youth Court', 'UB'),
       (622, 6, '2025-07-02', 'YC', 'Medway Youth Court', 'CB');

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id)
VALUES (621, 611, 6), (621, 612, 6), (622, 611, 6);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (601, 621, 6, 'OTH'), (602, 622, 6, 'ADIS');

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (671, 611, 6, '2025-06-30', NULL, 'UNK', NULL, NULL, 'L', NULL, NULL, NULL, NULL),
       (672, 611, 6, '2025-07-02', NULL, 'RO', true, NULL, 'L', NULL, NULL, 3, NULL),
       (673, 612, 6, '2025-07-02', NULL, 'RO', true, NULL, 'L', NULL, NULL, 3, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (631, 6, '2025-06-30', NULL, 'RO', NULL, NULL, 622),
       (632, 6, '2025-07-03', NULL, 'YRO', NULL, NULL, 622);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (631, 611, 6), (631, 612, 6), (632, 611, 6);

INSERT INTO cms.police_bail (police_bail_id, yp_id, offence_id, bail_cd, start_date, end_date)
VALUES (691, 6, 611, 'RUI', '2025-07-01', NULL),
       (692, 6, 611, 'PB', '2025-06-30', NULL);

INSERT INTO cms.victim (victim_id, yp_id, offence_id, victim_type_cd, contact_date, consent_flag,
                        view_asked_flag, rj_engaged_flag, progress_requested_flag,
                        progress_provided_flag, support_requested_flag, support_provided_flag)
VALUES (641, 6, 612, 'IND', '2025-07-01', true, NULL, NULL, NULL, NULL, NULL, NULL),
       (642, 6, 611, 'IND', '2025-07-05', true, NULL, NULL, NULL, NULL, NULL, NULL),
       (643, 6, 611, 'ORG', '2025-06-30', false, false, NULL, NULL, NULL, true, false);

INSERT INTO cms.parenting_intervention (parenting_id, yp_id, programme_id, type_cd, start_date,
                                        sessions_planned, sessions_attended)
VALUES (651, 6, 632, 'VOL', '2025-06-20', 4, 0),
       (652, 6, 631, 'PO', '2025-07-10', 8, NULL);

INSERT INTO cms.assessment (assessment_id, yp_id, programme_id, assessment_date, stage_cd,
                            likelihood_cd, rosh_cd, wellbeing_cd, yogrs)
VALUES (661, 6, 632, '2025-06-15', 'STA', 'L', 'L', 'L', 12),
       (662, 6, 631, '2025-07-04', 'REV', 'M', 'M', 'M', 30);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (601, 6, '2025-06-01', '2025-07-31', 'PAR', 'S'),
       (602, 6, '2025-08-01', NULL, 'FAM', 'S');

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (601, 6, '2025-06-01', NULL, 'SPT', 'K', 12, NULL),
       (602, 6, '2025-09-03', NULL, 'SFT', 'S', 25, NULL);

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (601, 6, 'CIN', '2025-07-01', NULL);

INSERT INTO cms.transfer (transfer_id, yp_id, transfer_date, direction_cd, other_service)
VALUES (601, 6, '2025-07-15', 'OUT', 'SWALE');

INSERT INTO cms.mh_screening (mh_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (601, 6, '2025-07-01', true, NULL, NULL, NULL, NULL, 'ADV');

INSERT INTO cms.sm_screening (sm_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (601, 6, '2025-07-02', false, NULL, NULL, NULL, NULL, 'NON');

INSERT INTO cms.send_aln (send_aln_id, yp_id, identified_flag, formal_plan_flag, plan_cd,
                          start_date, end_date)
VALUES (601, 6, true, true, 'EHC', '2025-07-01', NULL);

-- ---------------------------------------------------------------------------------------------
-- Child 7: care status priority among the lesser statuses and the inclusive end date; custody
-- S250 (term in years); transfers in and out; originating service person id. EHP runs
-- 2023-06-01..2025-12-31, CIN 2024-01-01..2024-06-01. Offence 711 (2023-12-31): EHP only ->
-- EARLY_HELP_PLAN. Offence 712 (2024-06-01, CIN's last day): CIN before EHP -> CHILD_IN_NEED.
-- Outcome 771 (2024-03-05): CHILD_IN_NEED; outcome 772 (2024-07-10): EARLY_HELP_PLAN.
-- A hearing with no court name and no remand decision, proposals CDIS and ADIS.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (7, 'YPG0000007', '23/000007G', '2007-07-07', 'F', 'MOTH', '2024-02-01',
        'LAMBTH-0042', NULL, NULL, 'AF', 'JEW', 'PUS', 'ASY');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (711, 7, '2023-12-31', '2024-01-02', 'Wounding with intent', 'SE11', 'OF61001', 'NG',
        'VAP', 7, true),
       (712, 7, '2024-06-01', '2024-06-01', 'Theft from the person', 'ME4', 'TH68005', 'G', 'THF',
        3, false);

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (721, 7, '2024-03-05', 'CC', 'Canterbury Crown Court', 'CB'),
       (722, 7, '2024-07-10', 'YC', NULL, NULL);

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id)
VALUES (721, 711, 7), (722, 712, 7);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (701, 722, 7, 'CDIS'), (702, 722, 7, 'ADIS');

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (771, 711, 7, '2024-03-05', NULL, 'S250', true, NULL, 'L', NULL, NULL, NULL, 2),
       (772, 712, 7, '2024-07-10', NULL, 'ADIS', true, NULL, 'O', NULL, NULL, NULL, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (731, 7, '2024-03-05', NULL, 'S250', true, NULL, 721);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id) VALUES (731, 711, 7);

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (701, 7, 'EHP', '2023-06-01', '2025-12-31'),
       (702, 7, 'CIN', '2024-01-01', '2024-06-01');

INSERT INTO cms.transfer (transfer_id, yp_id, transfer_date, direction_cd, other_service)
VALUES (701, 7, '2024-02-01', 'IN', 'LAMBTH'),
       (702, 7, '2025-06-01', 'OUT', 'SWALE');

INSERT INTO cms.mh_screening (mh_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (701, 7, '2024-02-15', true, '2024-02-20', '2024-03-01', '2024-03-10', '2024-06-10',
        'AHP');

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (701, 7, '2024-02-01', '2024-03-04', 'FAM', 'S'),
       (702, 7, '2024-03-05', NULL, 'RUS', 'S');

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (701, 7, '2024-03-11', NULL, 'APP', 'S', 30, 28);

-- ---------------------------------------------------------------------------------------------
-- Child 8: a prevention case with no offence: SEND (identified with a plan; not identified
-- with the plan flag NULL), mental health screenings (one never screened: every date
-- 1900-01-01 and no intervention), substance misuse screenings with every date set, looked
-- after with no end date.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (8, 'YPG0000008', NULL, '2011-03-03', 'M', 'CHNE', '2025-01-05',
        NULL, NULL, NULL, 'SY', 'BUD', 'ARA', 'REF');

INSERT INTO cms.send_aln (send_aln_id, yp_id, identified_flag, formal_plan_flag, plan_cd,
                          start_date, end_date)
VALUES (801, 8, true, true, 'EHC', '2025-01-10', NULL),
       (802, 8, false, NULL, NULL, '2024-09-01', '2024-12-31');

INSERT INTO cms.mh_screening (mh_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (801, 8, '2025-01-20', false, NULL, NULL, NULL, NULL, 'NON'),
       (802, 8, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
       (803, 8, '2025-02-01', true, '2025-02-03', '2025-02-10', '2025-02-17', NULL, 'ADV');

INSERT INTO cms.sm_screening (sm_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (801, 8, '2025-01-20', true, '2025-01-25', '2025-02-01', '2025-02-08', '2025-05-08',
        'TGT'),
       (802, 8, '2025-04-01', true, '2025-04-02', '2025-04-09', NULL, NULL, 'SPC');

INSERT INTO cms.care_status (care_status_id, yp_id, status_cd, start_date, end_date)
VALUES (801, 8, 'LAC', '2025-01-05', NULL);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (801, 8, '2025-01-05', NULL, 'FCP', 'S');

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (801, 8, '2025-01-06', NULL, 'SFT', 'S', 25, 22);

-- ---------------------------------------------------------------------------------------------
-- Child 9: custody S254 and S259 (terms in years) from one Crown Court hearing; programmes
-- ending inside the period, completed true and false; ages 16 at start with school age true
-- (born 2007-12-25: 15 on 2023-08-31), 17 at the end with school age false (16 on 2024-08-31).
-- Offence categories ARS, SEX, BRC (no outcome yet), MOT; secure estate accommodation
-- STC, SCH then independent living; a VERY_HIGH risk of serious harm. Offence 913's only
-- hearing (922) is after the period end: no ageOnFirstHearing, no hearing, no link.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (9, 'YPG0000009', '23/000009J', '2007-12-25', 'M', 'APKN', '2023-11-01',
        NULL, 'B', NULL, 'AL', 'OTH', 'SQI', 'NA');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (911, 9, '2024-01-15', '2024-01-16', 'Arson endangering life', 'ME10', 'CD71001', 'G',
        'ARS', 6, false),
       (912, 9, '2024-01-15', '2024-01-16', 'Sexual assault', 'ME10', 'SX03001', 'G', 'SEX', 7,
        false),
       (913, 9, '2025-05-01', NULL, 'Breach of licence conditions', 'ME10', 'CJ03510', NULL,
        'BRC', 3, NULL),
       (914, 9, '2023-12-01', '2023-12-01', 'Driving otherwise than in accordance with a licence',
        'ME10', 'RT88191', 'G', 'MOT', 3, false);

INSERT INTO cms.hearing (hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd)
VALUES (921, 9, '2024-04-02', 'CC', 'Maidstone Crown Court', 'RYDA'),
       (922, 9, '2025-07-08', 'YC', 'Medway Youth Court', 'UB');

INSERT INTO cms.hearing_offence (hearing_id, offence_id, yp_id)
VALUES (921, 911, 9), (921, 912, 9), (922, 913, 9);

INSERT INTO cms.sentence_proposal (proposal_id, hearing_id, yp_id, proposal_cd)
VALUES (901, 922, 9, 'YRO');

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (971, 911, 9, '2024-04-02', '2025-03-31', 'S254', true, NULL, 'L', NULL, NULL, NULL, 3),
       (972, 912, 9, '2024-04-02', '2025-04-01', 'S259', false, NULL, 'L', NULL, NULL, NULL, 1);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (931, 9, '2024-04-02', '2025-03-31', 'S254', true, true, 921),
       (932, 9, '2024-04-02', '2025-04-01', 'S259', true, false, 921);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id)
VALUES (931, 911, 9), (932, 912, 9);

INSERT INTO cms.assessment (assessment_id, yp_id, programme_id, assessment_date, stage_cd,
                            likelihood_cd, rosh_cd, wellbeing_cd, yogrs)
VALUES (961, 9, 931, '2024-04-10', 'STA', 'H', 'V', 'H', 90);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (901, 9, '2024-04-02', '2024-10-01', 'STC', 'S'),
       (902, 9, '2024-10-02', '2025-03-31', 'SCH', 'S'),
       (903, 9, '2025-04-01', NULL, 'IND', 'U');

-- ---------------------------------------------------------------------------------------------
-- Child 10: an offence with no offence date and nothing optional recorded (no
-- ageOnOffenceDate, no care status, no ageOnFirstHearing); arrest at 12. Not in ETE, no fixed
-- abode then accommodation not known with no suitability. Screenings on the period end day.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (10, 'YPG0000010', NULL, '2012-06-30', 'F', 'REFU', '2025-04-01',
        NULL, NULL, NULL, 'OT', 'NS', 'OTH', 'UNK');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (1011, 10, NULL, '2025-04-03', NULL, NULL, NULL, NULL, 'OTH', NULL, NULL);

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (1001, 10, '2025-04-01', NULL, 'NON', 'U', NULL, NULL);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (1001, 10, '2025-04-01', '2025-04-10', 'NFA', 'U'),
       (1002, 10, '2025-04-11', NULL, 'UNK', NULL);

INSERT INTO cms.mh_screening (mh_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (1001, 10, '2025-06-30', true, '2025-06-30', NULL, NULL, NULL, 'RSK'),
       (1002, 10, '2025-05-02', true, '2025-05-03', '2025-05-10', '2025-05-12', '2025-06-20',
        'HLP');

INSERT INTO cms.sm_screening (sm_screening_id, yp_id, screened_date, need_flag, referred_date,
                              offered_date, attended_start_date, attended_end_date,
                              intervention_cd)
VALUES (1001, 10, '2025-06-30', true, NULL, NULL, NULL, NULL, 'CCX'),
       (1002, 10, '2025-05-01', false, NULL, NULL, NULL, NULL, 'NON');

-- ---------------------------------------------------------------------------------------------
-- Child 11: the minimal child: sex U (-> 9), ethnicity NOBT (-> NS), no first contact date
-- (kept, so that validation can name it), every optional person field NULL, no other record:
-- the document is the person element alone.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (11, 'YPG0000011', NULL, '2013-10-10', 'U', 'NOBT', NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------------------------
-- Child 12: first contact on the last day of the period (in the return); transferred in that
-- day with no other service recorded (no otherYotId); accommodation and ETE starting that day.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (12, 'YPG0000012', '25/000012M', '2009-12-31', 'M', 'WIRT', '2025-06-30',
        'KENT-7781', NULL, NULL, 'NK', NULL, 'ENG', NULL);

INSERT INTO cms.transfer (transfer_id, yp_id, transfer_date, direction_cd, other_service)
VALUES (1201, 12, '2025-06-30', 'IN', NULL);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (1201, 12, '2025-06-30', NULL, 'PAR', 'S');

INSERT INTO cms.ete (ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd,
                     hours_offered, hours_attended)
VALUES (1201, 12, '2025-06-30', NULL, 'AOF', 'S', 25, NULL);

-- ---------------------------------------------------------------------------------------------
-- Child 13: first contact 2025-07-01, after the period: not in the return at all, although
-- every record below is dated inside the period.
-- ---------------------------------------------------------------------------------------------
INSERT INTO cms.young_person (yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date,
                              originating_yot_person_id, gender_cd, gender_same_flag,
                              nationality_cd, religion_cd, language_cd, immigration_cd)
VALUES (13, 'YPG0000013', '25/000013N', '2010-04-04', 'M', 'WOTH', '2025-07-01',
        NULL, 'B', true, 'UK', 'NON', 'ENG', 'NA');

INSERT INTO cms.offence (offence_id, yp_id, offence_date, arrest_date, description,
                         postcode_district, cjs_code, plea_cd, category_cd, gravity, knife_flag)
VALUES (1311, 13, '2025-05-01', '2025-05-02', 'Theft of a bicycle', 'ME4', 'TH68010', 'G', 'THF',
        2, false);

INSERT INTO cms.outcome (outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd,
                         main_flag, appeal_cd, residence_cd, term_days, term_weeks, term_months,
                         term_years)
VALUES (1371, 1311, 13, '2025-05-20', NULL, 'CR', true, NULL, 'L', NULL, NULL, NULL, NULL);

INSERT INTO cms.programme (programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag,
                           completed_flag, hearing_id)
VALUES (1331, 13, '2025-05-20', NULL, 'CR', NULL, NULL, NULL);

INSERT INTO cms.programme_offence (programme_id, offence_id, yp_id) VALUES (1331, 1311, 13);

INSERT INTO cms.accommodation (accommodation_id, yp_id, start_date, end_date, accom_type_cd,
                               suitability_cd)
VALUES (1301, 13, '2025-05-01', NULL, 'PAR', 'S');

DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'cms' LOOP
        EXECUTE format('ALTER TABLE cms.%I ALTER COLUMN sys_from SET DEFAULT now()', t);
    END LOOP;
END
$$;
