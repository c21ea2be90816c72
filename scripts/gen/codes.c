/*
 * codes.c - the local code lists of yj-gen, and which column and map each one serves.
 *
 * One table per list, in the order of its enum (codes.h). The weights that choose among them
 * live with the distributions that use them. gen_codelists[] is what the code-list test reads:
 * every code of a list with a map must be in that map's local column (except the trailing
 * codes meant to be unknown), and every local code of a map the generator never writes must
 * be listed in gen_unwritten[] with the reason.
 */
#include "codes.h"

#include "copyout.h"

#include "banned.h"

const char *const sex_codes[NSEX] = {"M", "F", "U"};
const char *const eth_codes[NETH + 1] = {"WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA",
                                         "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                         "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", "ZZZZ"};
const char *const gender_codes[NGENDER] = {"B", "G", "NB", "O", "NS"};
const char *const nat_codes[NNAT] = {"UK", "IE", "PL", "RO", "LT", "AF",
                                     "ER", "SY", "AL", "OT", "NK"};
const char *const rel_codes[NREL] = {"NON", "CHR", "MUS", "HIN", "SIK", "JEW", "BUD", "OTH", "NS"};
const char *const lang_codes[NLANG] = {"ENG", "POL", "RON", "LIT", "PUS",
                                       "TIR", "ARA", "SQI", "OTH"};
const char *const imm_codes[NIMM] = {"NA", "SET", "PRE", "ASY", "UAS", "REF", "OTH", "UNK"};
const char *const plea_codes[NPLEA] = {"G", "NG", "NP", "NA"};
const char *const cat_codes[NCAT] = {"VAP", "ROB", "DRG", "BUR", "THF", "VEH", "WPN",
                                     "ARS", "CDM", "MOT", "BRC", "SEX", "PUB", "OTH"};
const char *const out_codes[NOUT] = {"CR",   "CRY",  "O22",  "YC",   "YCC",  "RO",
                                     "YRO",  "DTO",  "S250", "S254", "S259", "FINE",
                                     "CDIS", "ADIS", "UNK",  "OTH",  "XX9"};
const char *const appeal_codes[NAPPEAL] = {"CHG", "SUC", "UNS"};
const char *const residence_codes[NRES] = {"L", "O"};
const char *const disp_codes[NDISP] = {"CR",  "CRY",  "O22",  "YC",   "YCC",  "RO",
                                       "YRO", "DTOC", "DTOL", "S250", "S254", "S259"};
const char *const court_type_codes[NCT] = {"YC", "MC", "CC"};
const char *const remand_codes[NREM] = {"UB", "CB", "RLA", "RYDA", "NON"};
const char *const bail_codes[NBAIL] = {"PB", "PBC", "RUI"};
const char *const req_codes[NREQ] = {"SUP", "UPW", "CUR", "ACT", "PRG", "EXC",
                                     "ISS", "ATC", "MHT", "DRT", "EDU"};
const char *const parenting_codes[NPARENTING] = {"PO", "PC", "VOL"};
const char *const direction_codes[NDIR] = {"IN", "OUT"};
const char *const accom_codes[NACC] = {"PAR", "FAM", "FRI", "IND", "FCL", "FCP", "RUL",
                                       "RUP", "RUS", "SUP", "TMP", "BAH", "HOS", "TRV",
                                       "STC", "SCH", "YOI", "BNB", "NFA", "UNK", "OTH"};
const char *const suit_codes[NSUIT] = {"S", "U", "K"};
const char *const ete_codes[NETE] = {"SFT", "SPT", "EHE", "PRF", "PRP", "AOF", "AOP",
                                     "ALT", "COL", "UNI", "REP", "TRS", "APP", "SIN",
                                     "MEN", "FTE", "PTE", "SEL", "VOL", "OTH", "NON"};
const char *const care_codes[NCARE] = {"LAC", "CEX", "CPP", "CIN", "EHP"};
const char *const plan_codes[NPLAN] = {"EHC", "SSP"};
const char *const mh_codes[NMH] = {"ADV", "HLP", "AHP", "RSK", "NON"};
const char *const sm_codes[NSM] = {"TGT", "SPC", "CCX", "NON"};
const char *const victim_codes[NVICTIM] = {"IND", "BUS", "ORG"};
const char *const stage_codes[NSTAGE] = {"STA", "END"};
const char *const risk_codes[NRISK] = {"L", "M", "H", "V"};
const char *const sector_codes[NSECTOR + 1] = {"CSC", "EDU", "POL", "PRB", "HLT", "OTH", "XXX"};
const char *const group_codes[NGROUP] = {"W", "M", "A", "B", "O"};

/* a list whose codes are all mapped, and a yes/no column */
#define ALL(t, col, map, codes, n)                                                                 \
    {                                                                                              \
        t, col, map, codes, n, n                                                                   \
    }
#define FLAG(t, col, map)                                                                          \
    {                                                                                              \
        t, col, map, copy_bool_text, 2, 2                                                          \
    }

const struct gen_codelist gen_codelists[] = {
    ALL("young_person", "sex_cd", "sex.csv", sex_codes, NSEX),
    {"young_person", "ethnicity_cd", "ethnicity.csv", eth_codes, NETH + 1, NETH},
    ALL("young_person", "gender_cd", "gender_term.csv", gender_codes, NGENDER),
    FLAG("young_person", "gender_same_flag", "yes_no_upper.csv"),
    ALL("young_person", "nationality_cd", "nationality.csv", nat_codes, NNAT),
    ALL("young_person", "religion_cd", "religion.csv", rel_codes, NREL),
    ALL("young_person", "language_cd", "language.csv", lang_codes, NLANG),
    ALL("young_person", "immigration_cd", "immigration_status.csv", imm_codes, NIMM),
    ALL("offence", "plea_cd", "plea.csv", plea_codes, NPLEA),
    ALL("offence", "category_cd", "offence_category.csv", cat_codes, NCAT),
    FLAG("offence", "knife_flag", NULL),
    {"outcome", "outcome_cd", "legal_outcome.csv", out_codes, NOUT, XX9},
    FLAG("outcome", "main_flag", "main_or_other.csv"),
    ALL("outcome", "appeal_cd", "appeal_status.csv", appeal_codes, NAPPEAL),
    ALL("outcome", "residence_cd", "residence.csv", residence_codes, NRES),
    /* a community resolution (D_CR) starts no programme */
    ALL("programme", "disposal_cd", "disposal_type.csv", disp_codes + D_CRY, NDISP - D_CRY),
    FLAG("programme", "victim_flag", NULL),
    FLAG("programme", "completed_flag", NULL),
    ALL("hearing", "court_type_cd", "court_type.csv", court_type_codes, NCT),
    ALL("hearing", "remand_cd", "remand_decision.csv", remand_codes, NREM),
    /* some of these only: a court's proposals (court.c, proposal_code) */
    ALL("sentence_proposal", "proposal_cd", "legal_outcome.csv", out_codes, XX9),
    ALL("police_bail", "bail_cd", "bail_status.csv", bail_codes, NBAIL),
    ALL("requirement", "requirement_cd", "requirement.csv", req_codes, NREQ),
    ALL("parenting_intervention", "type_cd", "parenting_type.csv", parenting_codes, NPARENTING),
    ALL("transfer", "direction_cd", "transfer_direction.csv", direction_codes, NDIR),
    ALL("accommodation", "accom_type_cd", "accommodation_type.csv", accom_codes, NACC),
    ALL("accommodation", "suitability_cd", "suitability.csv", suit_codes, NSUIT),
    ALL("ete", "provision_cd", "ete_provision.csv", ete_codes, NETE),
    ALL("ete", "suitability_cd", "suitability.csv", suit_codes, NSUIT),
    ALL("care_status", "status_cd", "care_status.csv", care_codes, NCARE),
    FLAG("send_aln", "identified_flag", "yes_no_upper.csv"),
    FLAG("send_aln", "formal_plan_flag", "yes_no_upper.csv"),
    ALL("send_aln", "plan_cd", NULL, plan_codes, NPLAN),
    FLAG("mh_screening", "need_flag", NULL),
    ALL("mh_screening", "intervention_cd", "mh_intervention.csv", mh_codes, NMH),
    FLAG("sm_screening", "need_flag", NULL),
    ALL("sm_screening", "intervention_cd", "sm_intervention.csv", sm_codes, NSM),
    ALL("victim", "victim_type_cd", "victim_type.csv", victim_codes, NVICTIM),
    FLAG("victim", "consent_flag", "yes_no.csv"),
    FLAG("victim", "view_asked_flag", "yes_no.csv"),
    FLAG("victim", "rj_engaged_flag", "yes_no.csv"),
    FLAG("victim", "progress_requested_flag", "yes_no.csv"),
    FLAG("victim", "progress_provided_flag", "yes_no.csv"),
    FLAG("victim", "support_requested_flag", "yes_no.csv"),
    FLAG("victim", "support_provided_flag", "yes_no.csv"),
    ALL("assessment", "stage_cd", "assessment_stage.csv", stage_codes, NSTAGE),
    ALL("assessment", "likelihood_cd", "risk_level.csv", risk_codes, RISK_V), /* never V */
    ALL("assessment", "rosh_cd", "risk_level.csv", risk_codes, NRISK),
    ALL("assessment", "wellbeing_cd", "risk_level.csv", risk_codes, NRISK),
    {"board_attendance", "sector_cd", "kpi/board_sector.csv", sector_codes, NSECTOR + 1, NSECTOR},
    FLAG("board_attendance", "attended_flag", NULL),
    FLAG("board_attendance", "senior_flag", NULL),
    FLAG("board_attendance", "new_partner_flag", NULL),
    /* population: the service's query sums the headcount; no map reads these */
    ALL("population", "sex_cd", NULL, sex_codes, SEX_U),
    ALL("population", "ethnicity_group_cd", NULL, group_codes, NGROUP),
};
const size_t gen_ncodelists = sizeof(gen_codelists) / sizeof(gen_codelists[0]);

const struct gen_unwritten gen_unwritten[] = {
    {"assessment_stage.csv", "REV", "yj-gen writes start and end assessments, no reviews"},
    {"disposal_type.csv", "CR", "in yj-gen a community resolution starts no programme"},
};
const size_t gen_nunwritten = sizeof(gen_unwritten) / sizeof(gen_unwritten[0]);
