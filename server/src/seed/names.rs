//! Name pools for the demo county: common surnames (weighted by frequency order) and given-name characters,
//! and village and township names.

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡",
];

pub const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇",
    "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "建", "国", "志", "文", "海", "东", "成", "德", "福", "生",
    "贵", "春",
];

pub const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂", "英", "秀", "兰", "红", "梅", "琳", "婷", "雪",
    "慧", "佳", "欣", "怡", "萍", "洁", "月", "玉", "凤", "花", "珍",
];

pub const VILLAGES: &[&str] = &[
    "张庄村",
    "李家湾村",
    "柳树屯村",
    "石桥村",
    "东河村",
    "西坡村",
    "南岗村",
    "北营村",
    "杏花村",
    "桃园村",
    "王家寨村",
    "青龙村",
    "白马村",
    "红星村",
    "新华村",
    "枣林村",
    "槐树村",
    "大堤村",
    "前进村",
    "双河村",
];

pub const TOWNSHIPS: &[&str] = &["城关镇", "柳河乡", "石门镇", "黄土岭乡", "清水镇", "马坊乡"];

pub const COUNTY: &str = "青禾县";
/// A made-up county code (GB/T 2260 shape); ID numbers and record numbers start with it.
pub const COUNTY_CODE: &str = "410999";

pub const GROUPS: &[&str] = &["一组", "二组", "三组", "四组", "五组", "六组"];
