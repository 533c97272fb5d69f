package seed

import "github.com/credithub/credithub/internal/credit"

// The joint measure catalogue (联合奖惩措施清单) the seed installs: for each list
// domain, the measures its memorandum names, with the memorandum as legal
// basis and the Dandong department that carries the measure out. The table is
// data, kept readable so that a reviewer can hold it against the memoranda.

// Legal bases, one per memorandum, so that the table below stays legible.
const (
	basisTax        = "关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（2016版）（发改财金〔2016〕1802号）"
	basisCourt      = "关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）"
	basisCourtSpend = "最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）；" + basisCourt
	basisAGrade     = "关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）"
	basisHonour     = "国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）；丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）"
	basisMarket     = "市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）第十三条"
	basisWage       = "关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2017〕2058号）"
	basisSafety     = "关于对安全生产领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1001号）"
	basisEnv        = "关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1580号）"
	basisFood       = "关于对食品药品生产经营严重失信者开展联合惩戒的合作备忘录（发改财金〔2016〕1962号）"
	basisGovProc    = "中华人民共和国政府采购法第七十七条；关于对政府采购领域严重违法失信主体开展联合惩戒的合作备忘录（发改财金〔2018〕1614号）"
	basisCustoms    = "关于对海关失信企业实施联合惩戒的合作备忘录（发改财金〔2017〕427号）"
	basisPRT        = "关于对公共资源交易领域严重失信主体开展联合惩戒的备忘录（发改法规〔2018〕457号）"
	basisAEO        = "关于对海关高级认证企业实施联合激励的合作备忘录（发改财金〔2016〕2190号）"
)

// Shorthands for the target and context sets of the table.
var (
	toOrg     = []string{"ORGANIZATION"}
	toPersons = []string{"KEY_PERSONS"}
	toBoth    = []string{"ORGANIZATION", "KEY_PERSONS"}
)

const (
	atWindow      = credit.ApprovalWindow
	atBank        = credit.BankCredit
	atProcurement = credit.PublicProcurement
	atFiscal      = credit.FiscalFunds
	atTravel      = credit.TravelConsumption
	atHonours     = credit.Honours
	atMarket      = credit.MarketAccess
)

// measureDef is one measure of the catalogue, as version 1.
type measureDef struct {
	Code      string
	Name      string
	Detail    string
	Basis     string
	Dept      deptKey
	AppliesTo []string
	Contexts  []credit.MeasureContext
	Domain    string
	From      string // effective_from, YYYY-MM-DD
}

// kind returns REWARD for red-list domains and PUNISHMENT for black ones.
func (m measureDef) kind() (credit.MeasureKind, credit.ListKind) {
	if rewardDomains[m.Domain] {
		return credit.Reward, credit.Red
	}
	return credit.Punishment, credit.Black
}

// rewardDomains are the red-list domains, whose measures are rewards.
var rewardDomains = map[string]bool{"A_GRADE_TAXPAYER": true, "HONOURED_INTEGRITY": true, "CUSTOMS_ADVANCED_CERTIFIED": true}

// catalogue is the measure catalogue, grouped by domain.
var catalogue = []measureDef{
	// 重大税收违法失信主体 (发改财金〔2016〕1802号).
	{"TAX_STRICT_APPROVAL_REVIEW", "行政审批从严审核", "办理行政许可、资质审核时从严审核，列为重点监管对象", basisTax, deptApproval, toOrg, where(atWindow), "MAJOR_TAX_VIOLATION", "2016-11-01"},
	{"TAX_NO_FISCAL_FUNDS", "限制取得财政性资金支持", "依法限制申请和取得财政补助、专项资金等财政性资金", basisTax, deptFinance, toOrg, where(atFiscal), "MAJOR_TAX_VIOLATION", "2016-11-01"},
	{"TAX_NO_PUBLIC_PROCUREMENT", "限制参加政府采购", "依法限制参加政府采购活动", basisTax, deptFinance, toOrg, where(atProcurement), "MAJOR_TAX_VIOLATION", "2016-11-01"},
	{"TAX_LOAN_RESTRICTION", "提高贷款利率或限制贷款", "金融机构融资授信时审慎评估，提高贷款利率、财产保险费率或限制向其提供贷款", basisTax, deptPBOC, toOrg, where(atBank), "MAJOR_TAX_VIOLATION", "2016-11-01"},
	{"TAX_TRAVEL_CONSUMPTION_BAN", "限制乘坐飞机、高铁和入住星级宾馆", "当事人的法定代表人、主要负责人和直接责任人员不得乘坐飞机、高铁一等座及以上座位，不得入住星级以上宾馆", basisTax, deptTransport, toPersons, where(atTravel), "MAJOR_TAX_VIOLATION", "2016-11-01"},
	{"TAX_EXIT_RESTRICTION", "阻止出境", "欠缴税款的当事人及其法定代表人由公安机关出入境管理部门阻止出境", basisTax, deptPolice, toPersons, where(atTravel), "MAJOR_TAX_VIOLATION", "2016-11-01"},

	// 失信被执行人 (发改财金〔2016〕141号).
	{"COURT_HIGH_CONSUMPTION_BAN", "限制高消费", "被执行人及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人不得实施高消费及非生活和工作必需的消费行为", basisCourtSpend, deptCourt, toBoth, where(atTravel), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_FLIGHT_TRAIN_BAN", "限制乘坐飞机、列车软卧和高铁", "不得乘坐飞机、列车软卧、轮船二等以上舱位、G字头动车组列车全部座位及其他动车组列车一等以上座位", basisCourtSpend, deptCourt, toPersons, where(atTravel), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_STRICT_APPROVAL_REVIEW", "行政审批从严审核", "办理行政许可时从严审核，作为重点监管对象", basisCourt, deptApproval, toOrg, where(atWindow), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_NO_NEW_PROJECT_APPROVAL", "限制新项目审批核准", "限制新的政府投资项目和企业投资项目审批、核准", basisCourt, deptDRC, toOrg, where(atWindow), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_LOAN_REFUSAL", "限制贷款", "金融机构将其失信情况作为融资授信的审慎性参考，依法限制贷款", basisCourt, deptPBOC, toBoth, where(atBank), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_NO_PUBLIC_PROCUREMENT", "限制参加政府采购", "依法限制参加政府采购活动", basisCourt, deptFinance, toOrg, where(atProcurement), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},
	{"COURT_MARKET_ACCESS_BAN", "市场和行业禁入", "限制设立金融类机构、从事特定行业，限制担任国有企业法定代表人及董事、监事、高级管理人员", basisCourt, deptMarket, toBoth, where(atMarket), "COURT_ENFORCEMENT_DISHONESTY", "2016-01-20"},

	// 纳税信用A级纳税人 (发改财金〔2016〕1467号).
	{"AGRADE_GREEN_CHANNEL", "行政审批绿色通道", "办理行政许可时开通绿色通道，优先办理", basisAGrade, deptApproval, toOrg, where(atWindow), "A_GRADE_TAXPAYER", "2016-07-01"},
	{"AGRADE_MISSING_DOCS_ACCEPTANCE", "容缺受理", "申请材料主件齐全、次要材料暂缺的，先予受理", basisAGrade, deptApproval, toOrg, where(atWindow), "A_GRADE_TAXPAYER", "2016-07-01"},
	{"AGRADE_CREDIT_LOAN", "信易贷信用贷款", "金融机构提供纳税信用贷款等信易贷产品，在授信额度和利率上给予优惠", basisAGrade, deptPBOC, toOrg, where(atBank), "A_GRADE_TAXPAYER", "2016-07-01"},
	{"AGRADE_PUBLIC_RESOURCE_PRIORITY", "公共资源交易优先", "在公共资源交易中给予信用加分或同等条件下优先", basisAGrade, deptPRT, toOrg, where(atProcurement), "A_GRADE_TAXPAYER", "2016-07-01"},

	// 诚信典型.
	{"HONOUR_GREEN_CHANNEL", "行政审批绿色通道", "办理行政许可时开通绿色通道，适用容缺受理", basisHonour, deptApproval, toOrg, where(atWindow), "HONOURED_INTEGRITY", "2017-01-01"},
	{"HONOUR_PROMOTION", "宣传推介和评优评先", "在信用丹东网站和新闻媒体宣传推介，评优评先时优先推荐", basisHonour, deptDRC, toOrg, where(atHonours), "HONOURED_INTEGRITY", "2017-01-01"},

	// 市场监督管理严重违法失信名单.
	{"MARKET_STRICT_LICENCE_REVIEW", "从严审查行政许可", "从严审查行政许可申请，不适用告知承诺制", basisMarket, deptMarket, toOrg, where(atWindow), "MARKET_SERIOUS_VIOLATION", "2021-09-01"},
	{"MARKET_HONOURS_BAN", "不得评优评先", "不予授予市场监督管理部门荣誉称号等表彰奖励", basisMarket, deptMarket, toBoth, where(atHonours), "MARKET_SERIOUS_VIOLATION", "2021-09-01"},
	{"MARKET_NO_PUBLIC_PROCUREMENT", "限制参加政府采购", "依法限制参加政府采购和工程招标投标", basisMarket, deptFinance, toOrg, where(atProcurement), "MARKET_SERIOUS_VIOLATION", "2021-09-01"},

	// 拖欠农民工工资失信联合惩戒对象.
	{"WAGE_NO_PUBLIC_PROCUREMENT", "限制参加政府采购", "依法限制参加政府采购和工程招标投标", basisWage, deptFinance, toOrg, where(atProcurement), "WAGE_ARREARS", "2018-01-01"},
	{"WAGE_NO_FISCAL_FUNDS", "限制财政资金支持", "限制申请财政补贴、专项资金等政策支持", basisWage, deptFinance, toOrg, where(atFiscal), "WAGE_ARREARS", "2018-01-01"},
	{"WAGE_HIGH_CONSUMPTION_BAN", "限制高消费", "用人单位的法定代表人、主要负责人和直接责任人员限制乘坐飞机、高铁和高消费", basisWage, deptHRSS, toPersons, where(atTravel), "WAGE_ARREARS", "2018-01-01"},

	// 安全生产严重失信主体.
	{"SAFETY_STRICT_APPROVAL_REVIEW", "行政审批从严审核", "从严审核安全生产许可及相关行政许可，列为重点监管对象", basisSafety, deptEmergency, toOrg, where(atWindow), "SAFETY_PRODUCTION", "2016-06-01"},
	{"SAFETY_BANK_CREDIT", "融资授信从严", "金融机构将其失信情况作为融资授信的重要参考", basisSafety, deptPBOC, toOrg, where(atBank), "SAFETY_PRODUCTION", "2016-06-01"},

	// 环境保护领域严重失信主体.
	{"ENV_STRICT_APPROVAL_REVIEW", "环评和排污许可从严审批", "从严审批建设项目环境影响评价文件和排污许可", basisEnv, deptEnv, toOrg, where(atWindow), "ENVIRONMENT", "2016-08-01"},
	{"ENV_NO_FISCAL_FUNDS", "限制财政补助", "限制取得环保专项资金等财政补助", basisEnv, deptFinance, toOrg, where(atFiscal), "ENVIRONMENT", "2016-08-01"},
	{"ENV_BANK_CREDIT", "融资授信从严", "金融机构从严审核授信，限制新增贷款", basisEnv, deptPBOC, toOrg, where(atBank), "ENVIRONMENT", "2016-08-01"},

	// 食品药品领域严重失信主体.
	{"FOOD_MARKET_ACCESS_BAN", "食品药品行业禁入", "相关责任人员在规定期限内不得从事食品药品生产经营管理工作", basisFood, deptMarket, toPersons, where(atMarket), "FOOD_AND_DRUG", "2016-10-01"},
	{"FOOD_STRICT_APPROVAL_REVIEW", "行政审批从严审核", "从严审核食品药品生产经营许可", basisFood, deptApproval, toOrg, where(atWindow), "FOOD_AND_DRUG", "2016-10-01"},

	// 政府采购严重违法失信行为记录.
	{"GOVPROC_PROCUREMENT_BAN", "禁止参加政府采购", "一至三年内禁止参加政府采购活动", basisGovProc, deptFinance, toOrg, where(atProcurement), "GOVERNMENT_PROCUREMENT", "2017-01-01"},
	{"GOVPROC_NO_FISCAL_FUNDS", "限制财政资金支持", "限制申请财政性资金项目", basisGovProc, deptFinance, toOrg, where(atFiscal), "GOVERNMENT_PROCUREMENT", "2017-01-01"},

	// 海关失信企业.
	{"CUSTOMS_STRICT_APPROVAL_REVIEW", "行政审批从严审核", "办理行政许可时从严审核，提高查验比例", basisCustoms, deptCustoms, toOrg, where(atWindow), "CUSTOMS", "2017-03-01"},
	{"CUSTOMS_BANK_CREDIT", "融资授信从严", "金融机构将其失信情况作为融资授信的审慎性参考", basisCustoms, deptPBOC, toOrg, where(atBank), "CUSTOMS", "2017-03-01"},

	// 公共资源交易领域严重失信主体.
	{"PRT_TRADING_BAN", "限制参与公共资源交易", "依法限制参与工程建设、土地出让、政府采购等公共资源交易活动", basisPRT, deptPRT, toOrg, where(atProcurement), "PUBLIC_RESOURCE_TRADING", "2018-03-01"},
	{"PRT_CONCESSION_BAN", "限制参与特许经营", "依法限制参与基础设施和公用事业特许经营", basisPRT, deptDRC, toOrg, where(atMarket), "PUBLIC_RESOURCE_TRADING", "2018-03-01"},

	// 海关高级认证企业.
	{"AEO_GREEN_CHANNEL", "通关和审批便利", "办理行政许可和通关手续时给予便利，优先办理", basisAEO, deptCustoms, toOrg, where(atWindow), "CUSTOMS_ADVANCED_CERTIFIED", "2016-12-01"},
	{"AEO_CREDIT_LOAN", "信易贷授信优惠", "金融机构在授信额度和利率上给予优惠", basisAEO, deptPBOC, toOrg, where(atBank), "CUSTOMS_ADVANCED_CERTIFIED", "2016-12-01"},
}

// where is a shorthand for a list of contexts.
func where(cs ...credit.MeasureContext) []credit.MeasureContext { return cs }
