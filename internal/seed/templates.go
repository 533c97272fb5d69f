package seed

// Templates of licences and penalties by department and sector: what each
// Dandong department licenses and punishes, with the documents, certificates
// and legal provisions the 双公示 columns carry.

// licenceKind is a kind of administrative licence.
type licenceKind struct {
	Dept     deptKey
	Sectors  sector
	Doc      string   // XK_XKWS
	Category string   // XK_XKLB: 普通, 特许, 认可, 核准, 登记, 其他
	Cert     string   // XK_XKZS, empty when no certificate is issued
	NoPrefix string   // XK_XKBH prefix
	Contents []string // XK_NR, one is drawn
	Years    int      // validity; 0 means 长期 (no end date)
}

var licenceKinds = []licenceKind{
	{deptApproval, secFood | secHotel, "食品经营许可决定书", "普通", "食品经营许可证", "JY1", []string{"预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售", "热食类食品制售；冷食类食品制售", "预包装食品销售；保健食品销售；特殊医学用途配方食品销售"}, 5},
	{deptApproval, secFood, "食品生产许可决定书", "普通", "食品生产许可证", "SC1", []string{"食品生产：水产制品（干制水产品、盐渍水产品）", "食品生产：速冻食品（速冻调制食品）", "食品生产：炒货食品及坚果制品（熟制板栗）", "食品生产：水果制品（蜜饯、果酱）"}, 5},
	{deptApproval, secTrade | secService | secFood, "户外广告设施设置许可决定书", "普通", "", "", []string{"设置门头牌匾户外广告设施一处", "设置落地式户外广告设施一处"}, 2},
	{deptMarket, secManufacturing | secChemical, "工业产品生产许可决定书", "普通", "全国工业产品生产许可证", "XK", []string{"工业产品生产：电线电缆", "工业产品生产：危险化学品包装物、容器", "工业产品生产：建筑防水卷材"}, 5},
	{deptMarket, secMedical, "药品经营许可决定书", "普通", "药品经营许可证", "辽CB", []string{"药品零售：中成药、化学药制剂、抗生素制剂、生化药品", "药品零售：中药饮片、中成药、化学药制剂"}, 5},
	{deptMarket, secManufacturing | secHotel | secRealEstate, "特种设备使用登记决定书", "登记", "特种设备使用登记证", "梯", []string{"电梯使用登记", "锅炉使用登记", "压力容器使用登记"}, 0},
	{deptHousing, secConstruction, "建筑工程施工许可决定书", "普通", "建筑工程施工许可证", "210600", []string{"厂房新建工程施工许可", "住宅楼新建工程施工许可", "综合楼改扩建工程施工许可"}, 0},
	{deptHousing, secConstruction | secRealEstate, "建筑业企业资质核准决定书", "认可", "建筑业企业资质证书", "D221", []string{"施工总承包：建筑工程施工总承包三级", "施工总承包：市政公用工程施工总承包三级", "专业承包：建筑装修装饰工程专业承包二级"}, 5},
	{deptHousing, secRealEstate, "商品房预售许可决定书", "普通", "商品房预售许可证", "丹房预售证字", []string{"商品住宅预售", "商业用房预售"}, 0},
	{deptEnv, secChemical | secManufacturing | secMining | secFood, "排污许可决定书", "普通", "排污许可证", "PW", []string{"排污许可：废水、废气污染物排放", "排污许可：废气污染物排放"}, 5},
	{deptEnv, secManufacturing | secConstruction | secChemical, "建设项目环境影响报告表审批意见", "普通", "", "", []string{"同意该建设项目按照环境影响报告表所列性质、规模、地点和环境保护措施进行建设"}, 0},
	{deptTransport, secTransport, "道路运输经营许可决定书", "普通", "道路运输经营许可证", "辽交运管许可丹字", []string{"道路普通货物运输", "道路普通货物运输；货物专用运输（集装箱）", "道路旅客运输：县内班车客运"}, 4},
	{deptTransport, secTransport | secChemical, "道路危险货物运输许可决定书", "普通", "道路运输经营许可证", "辽交运管许可丹字", []string{"危险货物运输（3类）", "危险货物运输（2类1项、3类）"}, 4},
	{deptEmergency, secChemical, "危险化学品经营许可决定书", "普通", "危险化学品经营许可证", "辽丹危化经字", []string{"批发（无储存）：汽油、柴油、液化石油气", "零售（有储存）：油漆、稀释剂"}, 3},
	{deptEmergency, secMining | secChemical, "安全生产许可决定书", "普通", "安全生产许可证", "（辽）FM安许证字", []string{"非煤矿矿山开采：建筑石料用灰岩露天开采", "危险化学品生产"}, 3},
	{deptNatRes, secRealEstate | secConstruction, "建设用地规划许可决定书", "普通", "建设用地规划许可证", "地字第210600", []string{"用地性质：二类居住用地", "用地性质：工业用地", "用地性质：商业用地"}, 0},
	{deptNatRes, secMining, "采矿许可决定书", "特许", "采矿许可证", "C2106002", []string{"开采矿种：建筑用花岗岩；开采方式：露天开采", "开采矿种：饰面用花岗岩；开采方式：露天开采"}, 5},
	{deptHRSS, secService, "劳务派遣经营许可决定书", "普通", "劳务派遣经营许可证", "LP210600", []string{"劳务派遣业务"}, 3},
	{deptHRSS, secService, "人力资源服务许可决定书", "普通", "人力资源服务许可证", "RL210600", []string{"职业介绍；人力资源供求信息的收集和发布", "人才信息网络服务"}, 0},
	{deptTax, secAll, "增值税专用发票最高开票限额审批决定书", "核准", "", "", []string{"核定增值税专用发票最高开票限额为十万元", "核定增值税专用发票最高开票限额为一百万元", "核定增值税专用发票最高开票限额为一万元"}, 0},
	{deptFinance, secService, "代理记账许可决定书", "普通", "代理记账许可证书", "DLJZ21060", []string{"代理记账业务"}, 0},
	{deptCulture, secHotel, "旅行社业务经营许可决定书", "普通", "旅行社业务经营许可证", "L-LN-", []string{"国内旅游业务和入境旅游业务", "边境旅游业务"}, 0},
	{deptHealth, secMedical, "医疗机构执业许可决定书", "普通", "医疗机构执业许可证", "PDY", []string{"诊疗科目：内科；外科；中医科", "诊疗科目：口腔科", "诊疗科目：预防保健科；全科医疗科"}, 5},
	{deptHealth, secHotel | secService | secFood, "公共场所卫生许可决定书", "普通", "卫生许可证", "丹卫公字", []string{"住宿场所", "美容美发场所", "沐浴场所"}, 4},
	{deptPolice, secHotel, "特种行业许可决定书", "普通", "特种行业许可证", "丹公特字", []string{"旅馆业"}, 0},
	{deptCustoms, secExport, "进境动植物检疫审批决定书", "核准", "中华人民共和国进境动植物检疫许可证", "IQ", []string{"进境水产品检疫审批", "进境粮食检疫审批"}, 1},
}

// penaltyKind is a kind of violation a department punishes.
type penaltyKind struct {
	Dept      deptKey
	Sectors   sector // organisations of these sectors; 0 for natural persons only
	Persons   bool   // also natural persons
	Violation string // CF_WFXW
	Facts     string // CF_SY, after the date
	Basis     string // CF_YJ
	Licence   string // the certificate a serious penalty may suspend or revoke
	Exact     bool   // fines computed from a sum (tax), so in exact fen
}

var penaltyKinds = []penaltyKind{
	{deptMarket, secFood | secTrade, false, "经营超过保质期的食品", "经营超过保质期的预包装食品", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项", "食品经营许可证", false},
	{deptMarket, secAll, false, "未按规定公示年度报告", "未按照规定期限公示年度报告", "《企业信息公示暂行条例》第十八条", "", false},
	{deptMarket, secTrade | secService | secTech, false, "虚假宣传", "在经营场所及网络平台对商品作虚假或者引人误解的商业宣传", "《中华人民共和国反不正当竞争法》第二十条第一款", "", false},
	{deptMarket, secTrade | secManufacturing, false, "销售不合格产品", "销售经抽检不合格的产品", "《中华人民共和国产品质量法》第四十九条", "", false},
	{deptMarket, secTrade | secHotel | secService, true, "不按规定明码标价", "不按照规定明码标价", "《明码标价和禁止价格欺诈规定》第二十一条", "", false},
	{deptMarket, secMedical, false, "销售劣药", "销售劣药", "《中华人民共和国药品管理法》第一百一十七条", "药品经营许可证", false},
	{deptMarket, 0, true, "无照经营", "未依法取得营业执照从事经营活动", "《无证无照经营查处办法》第十三条", "", false},
	{deptTax, secAll, false, "未按期办理纳税申报", "未按照规定的期限办理纳税申报和报送纳税资料", "《中华人民共和国税收征收管理法》第六十二条", "", false},
	{deptTax, secAll, false, "偷税", "采取虚假纳税申报手段少缴应纳税款", "《中华人民共和国税收征收管理法》第六十三条第一款", "", true},
	{deptTax, secTrade | secService, false, "虚开发票", "为他人开具与实际经营业务情况不符的发票", "《中华人民共和国发票管理办法》第三十五条", "", true},
	{deptEnv, secChemical | secManufacturing | secMining | secFood, false, "超标排放水污染物", "通过雨水管网排放超标废水", "《中华人民共和国水污染防治法》第八十三条第（二）项", "排污许可证", false},
	{deptEnv, secConstruction | secMining, false, "未采取防治扬尘污染措施", "施工工地未采取有效防尘降尘措施", "《中华人民共和国大气污染防治法》第一百一十五条第一款", "", false},
	{deptEnv, secManufacturing | secChemical, false, "未批先建", "建设项目环境影响报告表未经批准擅自开工建设", "《中华人民共和国环境影响评价法》第三十一条第一款", "", false},
	{deptHousing, secConstruction | secRealEstate, false, "未取得施工许可证擅自施工", "未取得建筑工程施工许可证擅自施工", "《建筑工程施工许可管理办法》第十二条", "", false},
	{deptHousing, secRealEstate, false, "未取得预售许可预售商品房", "未取得商品房预售许可证向社会预售商品房", "《城市商品房预售管理办法》第十五条", "", false},
	{deptHRSS, secConstruction | secService | secManufacturing, false, "拖欠劳动者工资", "无故拖欠农民工工资", "《保障农民工工资支付条例》第五十五条", "", false},
	{deptHRSS, secAll, false, "未依法办理社会保险登记", "未按规定为职工办理社会保险登记", "《中华人民共和国社会保险法》第八十四条", "", false},
	{deptEmergency, secChemical | secMining | secManufacturing, false, "未如实记录安全生产教育和培训情况", "未如实记录安全生产教育和培训情况", "《中华人民共和国安全生产法》第九十七条第（四）项", "安全生产许可证", false},
	{deptEmergency, secChemical | secTrade, false, "未取得许可经营危险化学品", "未取得危险化学品经营许可证经营危险化学品", "《危险化学品安全管理条例》第七十七条第三款", "危险化学品经营许可证", false},
	{deptTransport, secTransport, false, "车辆违法超限运输", "所属车辆违法超限运输", "《公路安全保护条例》第六十六条", "道路运输经营许可证", false},
	{deptTransport, 0, true, "非法从事道路客运经营", "未取得道路运输经营许可擅自从事道路旅客运输经营", "《中华人民共和国道路运输条例》第六十三条", "", false},
	{deptNatRes, secRealEstate | secMining | secAgri, true, "非法占用土地", "未经批准非法占用集体土地建设", "《中华人民共和国土地管理法》第七十七条第一款", "", false},
	{deptNatRes, secMining, false, "越界开采", "超越批准的矿区范围采矿", "《中华人民共和国矿产资源法》第四十条", "采矿许可证", false},
	{deptCustoms, secExport, false, "进出口货物申报不实", "进出口货物的品名、数量、价格申报不实，影响国家税款征收", "《中华人民共和国海关行政处罚实施条例》第十五条第（四）项", "", true},
	{deptCulture, secHotel, false, "未经许可经营旅行社业务", "未取得旅行社业务经营许可从事招徕、组织、接待旅游者业务", "《旅行社条例》第四十六条", "", false},
	{deptHealth, secMedical | secHotel | secService, false, "从业人员未取得健康合格证明", "安排未取得有效健康合格证明的从业人员直接为顾客服务", "《公共场所卫生管理条例实施细则》第三十八条", "卫生许可证", false},
	{deptHealth, secMedical, false, "使用非卫生技术人员", "使用非卫生技术人员从事医疗卫生技术工作", "《医疗机构管理条例》第四十七条", "医疗机构执业许可证", false},
	{deptPolice, secHotel, false, "未按规定登记住宿旅客信息", "未按照规定对住宿旅客进行实名登记", "《中华人民共和国反恐怖主义法》第八十六条第二款", "特种行业许可证", false},
}

// penaltyKindsOf returns the indexes of the organisation penalty kinds of a
// department, for the serious penalties that precede a black-list entry.
func penaltyKindsOf(d deptKey) []int {
	var out []int
	for i, k := range penaltyKinds {
		if k.Dept == d && k.Sectors != 0 {
			out = append(out, i)
		}
	}
	return out
}

// kindsFor returns the indexes of the licence or penalty kinds that apply to
// a sector, computed once per sector value: there are few distinct ones.
func kindsFor(cache map[sector][]int, sec sector, n int, applies func(i int) bool) []int {
	if ks, ok := cache[sec]; ok {
		return ks
	}
	var ks []int
	for i := range n {
		if applies(i) {
			ks = append(ks, i)
		}
	}
	cache[sec] = ks
	return ks
}
