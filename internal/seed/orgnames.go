package seed

import (
	"math/rand/v2"
	"strings"
)

// sector is a set of lines of business; it decides which licences and
// penalties an organisation plausibly gets.
type sector uint16

// The sectors.
const (
	secFood sector = 1 << iota
	secAgri
	secConstruction
	secRealEstate
	secTransport
	secTrade
	secExport
	secChemical
	secManufacturing
	secTech
	secMedical
	secHotel
	secService
	secMining
	secAll sector = 1<<iota - 1
)

// industry is a line of business as it appears in a company name.
type industry struct {
	Word   string
	Sector sector
}

// industries are the 行业表述 of company names, weighted towards Dandong's
// economy: seafood and strawberries from Donggang, chestnuts and forest
// frogs from Kuandian and Fengcheng, instruments, textiles and border trade.
var industries = []industry{
	{"食品", secFood | secManufacturing}, {"海产品", secFood | secExport}, {"水产", secFood | secAgri},
	{"草莓", secAgri | secFood}, {"蓝莓", secAgri | secFood}, {"板栗", secAgri | secFood},
	{"食用菌", secAgri}, {"丝绸", secManufacturing | secExport}, {"纺织", secManufacturing},
	{"服装", secManufacturing | secExport}, {"仪器仪表", secManufacturing | secTech}, {"机械制造", secManufacturing},
	{"汽车零部件", secManufacturing}, {"建筑工程", secConstruction}, {"建筑安装工程", secConstruction},
	{"市政工程", secConstruction}, {"装饰工程", secConstruction}, {"房地产开发", secRealEstate | secConstruction},
	{"物业管理", secService | secRealEstate}, {"物流", secTransport}, {"运输", secTransport},
	{"国际货运代理", secTransport | secExport}, {"进出口贸易", secTrade | secExport}, {"商贸", secTrade},
	{"石油化工", secChemical}, {"化工", secChemical}, {"医药", secMedical},
	{"医疗器械", secMedical | secTrade}, {"酒店管理", secHotel | secFood}, {"餐饮管理", secFood | secHotel},
	{"旅游开发", secHotel}, {"软件", secTech}, {"信息技术", secTech},
	{"电子科技", secTech | secManufacturing}, {"新能源", secManufacturing | secTech}, {"环保科技", secTech | secService},
	{"矿业", secMining}, {"建材", secMining | secManufacturing}, {"木业", secManufacturing},
	{"农业发展", secAgri}, {"粮油", secFood | secAgri}, {"酒业", secFood | secManufacturing},
	{"汽车销售", secTrade}, {"广告传媒", secService}, {"劳务派遣", secService},
	{"人力资源服务", secService}, {"教育咨询", secService}, {"供热", secService | secConstruction},
	{"燃气", secChemical | secService}, {"印刷", secManufacturing}, {"渔业", secAgri | secExport},
	{"船舶修造", secManufacturing | secExport}, {"港口服务", secTransport | secExport}, {"钢结构", secConstruction | secManufacturing},
}

// Trade names (字号) are two characters from these lists, or one of the
// place-flavoured words.
var (
	tradeFirst  = []rune("华宏鑫盛恒瑞丰源泰隆达兴嘉和金通德信诚润安康富海江新东方天正元利永亿宝辰晟博远航昌旭凯锦汇聚鼎佳顺祥俊启明辉腾")
	tradeSecond = []rune("华达盛源兴泰丰瑞祥通信德昌隆宇航发鑫和润成利业辉安宏远嘉茂创科联泽晟洋邦捷诚峰")
	tradeWords  = split("鸭绿江 凤凰山 青山沟 大鹿岛 虎山 五龙 天桥沟 黄海 锦江 丹港 北黄海 宽甸 孤山 大孤山 獐岛 河口 九连城 边境 东港 丹凤")
)

// tradeName returns a 字号.
func tradeName(rng *rand.Rand) string {
	if rng.IntN(10) == 0 {
		return pick(rng, tradeWords)
	}
	return string(tradeFirst[rng.IntN(len(tradeFirst))]) + string(tradeSecond[rng.IntN(len(tradeSecond))])
}

// regionPrefix returns how a company in district d names its region: mostly
// 丹东, the district-level city or county for companies registered there.
func regionPrefix(rng *rand.Rand, d *district) string {
	switch n := rng.IntN(20); {
	case n == 0:
		return "辽宁"
	case n < 3:
		return "丹东市"
	case n < 8 && !strings.HasSuffix(d.Name, "区"):
		return d.Prefix
	default:
		return "丹东"
	}
}

var companySuffixes = []string{"有限公司", "有限公司", "有限公司", "有限公司", "有限公司", "有限公司", "有限责任公司", "有限责任公司", "股份有限公司", "集团有限公司"}

// companyName returns a company name such as 丹东鑫盛海产品有限公司.
func companyName(rng *rand.Rand, d *district) (string, sector) {
	ind := industries[rng.IntN(len(industries))]
	return regionPrefix(rng, d) + tradeName(rng) + ind.Word + pick(rng, companySuffixes), ind.Sector
}

var coopProducts = split("草莓 蓝莓 板栗 水稻 食用菌 蚕业 中药材 生猪养殖 肉牛养殖 海参养殖 林蛙养殖 果蔬 苹果 蜂业 山野菜")

// cooperativeName returns a farmers' cooperative name such as
// 东港市椅圈镇鑫盛草莓专业合作社.
func cooperativeName(rng *rand.Rand, d *district) (string, sector) {
	place := ""
	if p := pick(rng, d.Places); strings.HasSuffix(p, "镇") {
		place = p
	}
	return d.Prefix + place + tradeName(rng) + pick(rng, coopProducts) + "专业合作社", secAgri | secFood
}

var nonEnterpriseKinds = split("培训学校 职业技能培训学校 养老院 幼儿园 康复中心 社会工作服务中心 文化艺术培训中心 托育中心")

// privateNonEnterpriseName returns a 民办非企业单位 name such as
// 丹东市振兴区鑫盛幼儿园.
func privateNonEnterpriseName(rng *rand.Rand, d *district) (string, sector) {
	prefix := d.Prefix
	if !strings.HasPrefix(prefix, "丹东") && rng.IntN(2) == 0 {
		prefix = "丹东市"
	}
	return prefix + tradeName(rng) + pick(rng, nonEnterpriseKinds), secService
}

var associationKinds = []string{"协会", "行业协会", "商会", "促进会"}

// socialOrgName returns a 社会团体 name such as 丹东市海产品行业协会.
func socialOrgName(rng *rand.Rand, d *district) (string, sector) {
	prefix := "丹东市"
	if rng.IntN(3) == 0 {
		prefix = d.Prefix
	}
	return prefix + industries[rng.IntN(len(industries))].Word + pick(rng, associationKinds), secService
}

var parentCities = split("沈阳 大连 鞍山 营口 北京 上海 天津 青岛 深圳 长春 哈尔滨")

// branchName returns the name of a branch of a company registered elsewhere,
// such as 沈阳宏达物流有限公司丹东分公司.
func branchName(rng *rand.Rand, d *district) (string, sector) {
	ind := industries[rng.IntN(len(industries))]
	where := "丹东"
	if !strings.HasSuffix(d.Name, "区") {
		where = strings.TrimSuffix(strings.TrimSuffix(d.Name, "市"), "满族自治县")
	} else if rng.IntN(3) == 0 {
		where = "丹东" + d.Name
	}
	return pick(rng, parentCities) + tradeName(rng) + ind.Word + "有限公司" + where + "分公司", ind.Sector
}

var partnershipKinds = []string{"投资管理合伙企业（有限合伙）", "企业管理咨询合伙企业（有限合伙）", "股权投资基金合伙企业（有限合伙）", "商贸合伙企业（普通合伙）", "建筑工程合伙企业（普通合伙）"}

// partnershipName returns a partnership name.
func partnershipName(rng *rand.Rand, d *district) (string, sector) {
	kind := pick(rng, partnershipKinds)
	sec := secService
	if strings.Contains(kind, "建筑") {
		sec = secConstruction
	} else if strings.Contains(kind, "商贸") {
		sec = secTrade
	}
	return regionPrefix(rng, d) + tradeName(rng) + kind, sec
}

var soleProprietorshipKinds = []string{"商行", "经销处", "加工厂", "服务部", "养殖场", "汽车修理厂"}

// soleProprietorshipName returns a 个人独资企业 name such as 丹东市振兴区鑫盛商行.
func soleProprietorshipName(rng *rand.Rand, d *district) (string, sector) {
	kind := pick(rng, soleProprietorshipKinds)
	sec := secTrade
	switch kind {
	case "加工厂":
		sec = secFood | secManufacturing
	case "养殖场":
		sec = secAgri
	case "汽车修理厂", "服务部":
		sec = secService
	}
	return d.Prefix + tradeName(rng) + kind, sec
}

// shopKind is a kind of individual business (个体工商户).
type shopKind struct {
	Word   string
	Sector sector
}

var shopKinds = []shopKind{
	{"小吃部", secFood}, {"饭店", secFood}, {"烧烤店", secFood}, {"饺子馆", secFood}, {"冷面馆", secFood},
	{"超市", secFood | secTrade}, {"便利店", secFood | secTrade}, {"水果店", secFood | secTrade}, {"熟食店", secFood},
	{"海鲜批发部", secFood | secTrade}, {"粮油店", secFood | secTrade}, {"烟酒商行", secTrade}, {"理发店", secService},
	{"美容美发店", secService}, {"五金商店", secTrade}, {"汽车修理部", secService}, {"服装店", secTrade},
	{"干洗店", secService}, {"手机通讯店", secTrade}, {"建材商店", secTrade}, {"家电维修部", secService},
	{"大药房", secMedical | secTrade}, {"草莓种植园", secAgri}, {"农家院", secHotel | secFood},
}

// shopName returns an individual business name such as 振兴区老李烧烤店; the
// operator's surname or given name often serves as the 字号.
func shopName(rng *rand.Rand, d *district, operator string) (string, sector) {
	shop := shopKinds[rng.IntN(len(shopKinds))]
	prefix := d.Name
	if rng.IntN(3) == 0 {
		prefix = d.Prefix
	}
	surname := string([]rune(operator)[0])
	var mark string
	switch rng.IntN(5) {
	case 0:
		mark = "老" + surname
	case 1:
		mark = surname + "记"
	case 2:
		mark = string([]rune(operator)[1:])
	default:
		mark = tradeName(rng)
	}
	return prefix + mark + shop.Word, shop.Sector
}
