package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// district is a county-level division of Dandong (丹东市, 2106xx).
type district struct {
	Code   string
	Name   string // as in an address, e.g. 元宝区, 东港市
	Prefix string // as in an organisation name, e.g. 丹东市元宝区, 东港市
	Weight int    // share of registered market entities, in per cent
	Places []string
}

// districts lists Dandong's districts, county-level cities and county with
// streets, towns and subdistricts for addresses. The weights follow roughly
// where market entities are registered: the two county-level cities and the
// central districts.
var districts = []district{
	{"210602", "元宝区", "丹东市元宝区", 15, []string{"锦山大街", "七经街", "八道街", "金山大街", "兴五路", "宝山大街", "六道沟路", "广济街道", "兴东街道", "九道街"}},
	{"210603", "振兴区", "丹东市振兴区", 22, []string{"江城大街", "春二路", "六纬路", "青年大街", "振七街", "帽盔山路", "滨江中路", "站前街道", "临江街道", "浪头镇"}},
	{"210604", "振安区", "丹东市振安区", 10, []string{"鸭绿江街道", "珍珠街道", "九连城镇", "五龙背镇", "楼房镇", "同兴镇", "汤山城镇", "振安大街"}},
	{"210624", "宽甸满族自治县", "宽甸满族自治县", 13, []string{"宽甸镇中心大街", "长甸镇", "永甸镇", "太平哨镇", "青山沟镇", "灌水镇", "虎山镇", "毛甸子镇"}},
	{"210681", "东港市", "东港市", 22, []string{"大东街道", "新兴街道", "新城街道", "孤山镇", "前阳镇", "长山镇", "北井子镇", "椅圈镇", "黄土坎镇", "马家店镇"}},
	{"210682", "凤城市", "凤城市", 18, []string{"凤凰城街道", "凤山街道", "草河街道", "宝山镇", "通远堡镇", "赛马镇", "鸡冠山镇", "边门镇", "红旗镇"}},
}

// pickDistrict draws a district by weight.
func pickDistrict(rng *rand.Rand) *district {
	n := rng.IntN(100)
	for i := range districts {
		if n < districts[i].Weight {
			return &districts[i]
		}
		n -= districts[i].Weight
	}
	return &districts[len(districts)-1]
}

// address returns a postal address in district d.
func address(rng *rand.Rand, d *district) string {
	place := d.Places[rng.IntN(len(d.Places))]
	switch {
	case strings.HasSuffix(place, "镇") && rng.IntN(2) == 0:
		return fmt.Sprintf("辽宁省丹东市%s%s%s村%d组", d.Name, place, pick(rng, villages), 1+rng.IntN(12))
	case strings.HasSuffix(place, "街道") || strings.HasSuffix(place, "镇"):
		return fmt.Sprintf("辽宁省丹东市%s%s%s%d号", d.Name, place, pick(rng, streets), 1+rng.IntN(300))
	default:
		return fmt.Sprintf("辽宁省丹东市%s%s%d号", d.Name, place, 1+rng.IntN(600))
	}
}

var villages = split("新立 永安 红旗 太平 双山 三道 河口 前进 长胜 东升 西岗 北岭 南台 石门 小甸子 大房 柳林 荒沟")
var streets = split("中心路 新华街 建设路 人民路 胜利街 站前路 振兴路 兴隆街 和平路 富民街 工业路 滨海路")

// Surnames, weighted by repetition: the most common national ones, the ones
// the Shandong settlers brought to the Liaodong peninsula (于, 姜, 曲, 隋, 丛,
// 宫), and Manchu (关, 佟, 那, 富, 赫) and Korean (朴, 金, 崔) ones that are
// frequent in Dandong.
var surnames = split(strings.Repeat("王 李 张 刘 于 孙 赵 陈 杨 王 李 张 刘 ", 3) +
	strings.Repeat("姜 周 吴 徐 马 高 曲 郭 林 宋 董 韩 朱 郑 吕 谭 ", 2) +
	"隋 丛 宫 关 佟 那 富 赫 朴 金 崔 黄 何 罗 梁 谢 唐 许 冯 邓 曹 彭 曾 肖 田 袁 潘 蒋 蔡 杜 程 苏 魏 丁 任 沈 姚 卢 崔 钟 陆 汪 范 石 廖 贾 夏 付 方 白 邹 孟 秦 邱 江 尹 薛 闫 段 侯 史 陶 贺 顾 毛 郝 邵 万 武 戴 孔 汤 初 鞠 刁 栾")

var maleGiven = split("伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 旭 宁 龙 林 洋 国 建 志 峰 东 海 成 振 德 文 春 永 庆 忠 福 晨 博 岩 阳 亮 维 学 树 宏")
var femaleGiven = split("芳 娜 敏 静 丽 艳 娟 霞 秀 燕 玲 桂 丹 萍 红 梅 莉 琳 婷 雪 慧 颖 倩 晶 欣 月 淑 凤 玉 兰 英 华 爽 丽 琴 杰 佳 宁 薇 悦 楠 曼 春 香 荣 洁 颖")

// personName returns a Chinese name: a surname and one or two given-name
// characters matching the person's sex.
func personName(rng *rand.Rand, male bool) string {
	given := femaleGiven
	if male {
		given = maleGiven
	}
	name := pick(rng, surnames) + pick(rng, given)
	if rng.IntN(10) < 6 {
		name += pick(rng, given)
	}
	return name
}

// pick returns a random element of xs.
func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

// split splits a space-separated word list, for compact tables.
func split(s string) []string { return strings.Fields(s) }
