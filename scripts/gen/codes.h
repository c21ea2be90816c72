/*
 * codes.h - the local code lists yj-gen writes into the warehouse, one table per list.
 *
 * These are the reference case system's own codes (the left column of the schema bundle's
 * maps, mappings/schema-N/ *.csv, and of kpi/board_sector.csv). The enums index the tables;
 * the generator's distributions hold weights and choices by these indexes, never spelling a
 * code out. gen_codelists[] says which warehouse column each table fills and which map reads
 * it; tests/unit/gen/test_codes.c holds the tables to the maps, and yj-gen's output to the
 * tables. A list's last entries may be codes no map knows on purpose (--dirty, --unmapped).
 */
#ifndef YJ_GEN_CODES_H
#define YJ_GEN_CODES_H

#include <stddef.h>

/* clang-format off */
enum { SEX_M, SEX_F, SEX_U, NSEX };
enum { ETH_WBRI, ETH_WIRI, ETH_WIRT, ETH_WROM, ETH_WOTH, ETH_MWBC, ETH_MWBA, ETH_MWAS, ETH_MOTH,
       ETH_AIND, ETH_APKN, ETH_ABAN, ETH_AOTH, ETH_BCRB, ETH_BAFR, ETH_BOTH, ETH_CHNE, ETH_OOTH,
       ETH_REFU, ETH_NOBT, NETH,
       ETH_UNMAPPED = NETH /* --unmapped: ZZZZ */ };
enum { GENDER_B, GENDER_G, GENDER_NB, GENDER_O, GENDER_NS, NGENDER };
enum { NAT_UK, NAT_IE, NAT_PL, NAT_RO, NAT_LT, NAT_AF, NAT_ER, NAT_SY, NAT_AL, NAT_OT, NAT_NK,
       NNAT };
enum { REL_NON, REL_CHR, REL_MUS, REL_HIN, REL_SIK, REL_JEW, REL_BUD, REL_OTH, REL_NS, NREL };
enum { LANG_ENG, LANG_POL, LANG_RON, LANG_LIT, LANG_PUS, LANG_TIR, LANG_ARA, LANG_SQI, LANG_OTH,
       NLANG };
enum { IMM_NA, IMM_SET, IMM_PRE, IMM_ASY, IMM_UAS, IMM_REF, IMM_OTH, IMM_UNK, NIMM };
enum { PLEA_G, PLEA_NG, PLEA_NP, PLEA_NA, NPLEA };
enum { VAP, ROB, DRG, BUR, THF, VEH, WPN, ARS, CDM, MOT, BRC, SEX, PUB, OTH_CAT, NCAT };
enum { CR, CRY, O22, YC, YCC, RO, YRO, DTO, S250, S254, S259, FINE, CDIS, ADIS, UNK, OTH_OUT,
       XX9 /* --unmapped */, NOUT };
enum { APPEAL_CHG, APPEAL_SUC, APPEAL_UNS, NAPPEAL };
enum { RES_LOCAL, RES_OTHER, NRES };
enum { D_CR, D_CRY, D_O22, D_YC, D_YCC, D_RO, D_YRO, D_DTOC, D_DTOL, D_S250, D_S254, D_S259,
       NDISP };
enum { CT_YC, CT_MC, CT_CC, NCT };
enum { REM_UB, REM_CB, REM_RLA, REM_RYDA, REM_NON, NREM };
enum { BAIL_PB, BAIL_PBC, BAIL_RUI, NBAIL };
enum { REQ_SUP, REQ_UPW, REQ_CUR, REQ_ACT, REQ_PRG, REQ_EXC, REQ_ISS, REQ_ATC, REQ_MHT, REQ_DRT,
       REQ_EDU, NREQ };
enum { PARENTING_PO, PARENTING_PC, PARENTING_VOL, NPARENTING };
enum { DIR_IN, DIR_OUT, NDIR };
enum { ACC_PAR, ACC_FAM, ACC_FRI, ACC_IND, ACC_FCL, ACC_FCP, ACC_RUL, ACC_RUP, ACC_RUS, ACC_SUP,
       ACC_TMP, ACC_BAH, ACC_HOS, ACC_TRV, ACC_STC, ACC_SCH, ACC_YOI, ACC_BNB, ACC_NFA, ACC_UNK,
       ACC_OTH, NACC };
enum { SUIT_S, SUIT_U, SUIT_K, NSUIT };
enum { ETE_SFT, ETE_SPT, ETE_EHE, ETE_PRF, ETE_PRP, ETE_AOF, ETE_AOP, ETE_ALT, ETE_COL, ETE_UNI,
       ETE_REP, ETE_TRS, ETE_APP, ETE_SIN, ETE_MEN, ETE_FTE, ETE_PTE, ETE_SEL, ETE_VOL, ETE_OTH,
       ETE_NON, NETE };
enum { CARE_LAC, CARE_CEX, CARE_CPP, CARE_CIN, CARE_EHP, NCARE };
enum { PLAN_EHC, PLAN_SSP, NPLAN };
enum { MH_ADV, MH_HLP, MH_AHP, MH_RSK, MH_NON, NMH };
enum { SM_TGT, SM_SPC, SM_CCX, SM_NON, NSM };
enum { VICTIM_IND, VICTIM_BUS, VICTIM_ORG, NVICTIM };
enum { STAGE_STA, STAGE_END, NSTAGE };
enum { RISK_L, RISK_M, RISK_H, RISK_V, NRISK };
enum { SECTOR_CSC, SECTOR_EDU, SECTOR_POL, SECTOR_PRB, SECTOR_HLT, SECTOR_OTH, NSECTOR,
       SECTOR_UNMAPPED = NSECTOR /* --dirty: XXX */ };
enum { GROUP_W, GROUP_M, GROUP_A, GROUP_B, GROUP_O, NGROUP };
/* clang-format on */

extern const char *const sex_codes[NSEX];
extern const char *const eth_codes[NETH + 1];
extern const char *const gender_codes[NGENDER];
extern const char *const nat_codes[NNAT];
extern const char *const rel_codes[NREL];
extern const char *const lang_codes[NLANG];
extern const char *const imm_codes[NIMM];
extern const char *const plea_codes[NPLEA];
extern const char *const cat_codes[NCAT];
extern const char *const out_codes[NOUT];
extern const char *const appeal_codes[NAPPEAL];
extern const char *const residence_codes[NRES];
extern const char *const disp_codes[NDISP];
extern const char *const court_type_codes[NCT];
extern const char *const remand_codes[NREM];
extern const char *const bail_codes[NBAIL];
extern const char *const req_codes[NREQ];
extern const char *const parenting_codes[NPARENTING];
extern const char *const direction_codes[NDIR];
extern const char *const accom_codes[NACC];
extern const char *const suit_codes[NSUIT];
extern const char *const ete_codes[NETE];
extern const char *const care_codes[NCARE];
extern const char *const plan_codes[NPLAN];
extern const char *const mh_codes[NMH];
extern const char *const sm_codes[NSM];
extern const char *const victim_codes[NVICTIM];
extern const char *const stage_codes[NSTAGE];
extern const char *const risk_codes[NRISK];
extern const char *const sector_codes[NSECTOR + 1];
extern const char *const group_codes[NGROUP];

/* Which warehouse column a code list fills, and the map that reads it. */
struct gen_codelist {
    const char *table;        /* cms.TABLE */
    const char *column;       /* its column */
    const char *map;          /* the map reading it, under mappings/schema-N/; NULL: none */
    const char *const *codes; /* every code the column can hold (NULL aside) */
    int ncodes;
    int nmapped; /* codes[nmapped..ncodes) are unknown to the map on purpose */
};

extern const struct gen_codelist gen_codelists[];
extern const size_t gen_ncodelists;

/* A map's local code yj-gen never writes, and why that is intended. */
struct gen_unwritten {
    const char *map;
    const char *code;
    const char *why;
};

extern const struct gen_unwritten gen_unwritten[];
extern const size_t gen_nunwritten;

#endif
